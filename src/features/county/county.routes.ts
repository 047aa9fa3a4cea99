import type { FastifyInstance } from 'fastify';
import { attempt } from '../../core/form-errors.js';
import { DIRECTION_LABELS, type Direction } from '../../domain/change.js';
import { UNIT_LABELS } from '../../domain/figures.js';
import { monthLabel, windowLabel } from '../../domain/periods.js';
import { actorOf } from '../partnerships/partnerships.routes.js';
import type { Partnership } from '../partnerships/partnerships.service.js';
import { totalNotes, type CountyComparison, type SharedIndicator } from './county.service.js';

type Form = Record<string, string | undefined>;
type SlugParams = { slug: string };

// The word is always on the tag; the colour only repeats it.
const DIRECTION_CLASSES: Record<Direction, string> = {
  better: 'govuk-tag--green',
  worse: 'govuk-tag--red',
  neutral: 'govuk-tag--grey',
  'no-change': 'govuk-tag--grey',
};

const END_NOTES: Record<CountyComparison['endChosen'], string | undefined> = {
  given: undefined,
  'latest-complete': 'This is the latest rolling year that every district has all its figures for.',
  'latest-figure':
    'No rolling year has all its figures from every district yet: this one ends with the latest month that has a figure.',
  'no-figures': 'No district has entered a figure for this indicator yet.',
};

const base = (slug: string) => `/partnerships/${slug}/county-indicators`;

function compareHref(slug: string, indicator: SharedIndicator): string {
  const query = new URLSearchParams({ name: indicator.name, unit: indicator.unit });
  return `${base(slug)}/compare?${query.toString()}`;
}

function direction(d: Direction | null) {
  return d ? { text: DIRECTION_LABELS[d], classes: DIRECTION_CLASSES[d] } : null;
}

/** The comparison as the page's table shows it. */
function comparisonPage(p: Partnership, c: CountyComparison) {
  const { total } = c;
  return {
    title: `${c.indicator.name} by district – ${p.name}`,
    p,
    c,
    unitLabel: UNIT_LABELS[c.indicator.unit],
    endLabel: monthLabel(c.end),
    endNote: END_NOTES[c.endChosen],
    previousLabel: windowLabel(c.previousWindow),
    currentLabel: windowLabel(c.currentWindow),
    districtRows: c.rows.map((r) => ({
      name: r.district.name,
      previous: r.comparison.previous.text,
      current: r.comparison.current.text,
      change: r.comparison.change.text,
      direction: direction(r.direction),
    })),
    total:
      total.kind === 'sum'
        ? {
            previous: total.previous.text,
            current: total.current.text,
            change: total.change.text,
            direction: direction(total.direction),
          }
        : null,
    notes: totalNotes(c),
    otherUnits: c.otherUnits.map(
      (d) => `${d.name} keeps it as a ${UNIT_LABELS[d.unit].toLowerCase()}`,
    ),
    breadcrumbs: [
      { text: p.name, href: `/partnerships/${p.slug}` },
      { text: 'District indicators', href: base(p.slug) },
    ],
  };
}

/** A county partnership's view of the indicators its districts share. */
export async function countyRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, county } = app.services;

  app.get<{ Params: SlugParams }>(
    '/partnerships/:slug/county-indicators',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const shared = await county.shared(actor, slug);
      const p = await partnerships.get(actor, slug);
      return reply.page('county/views/list.njk', {
        title: `District indicators – ${p.name}`,
        p,
        districtCount: shared.districtCount,
        indicators: shared.indicators.map((i) => ({
          ...i,
          href: compareHref(slug, i),
          unitLabel: UNIT_LABELS[i.unit],
        })),
      });
    },
  );

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/county-indicators/compare',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const { name = '', unit = '', end } = request.query;
      const r = await attempt(() => county.comparison(actor, slug, { name, unit, end }));
      const p = await partnerships.get(actor, slug);
      if (!r.ok) {
        // The month asked for is refused: the page shows the error and the form, not a table.
        const c = await county.comparison(actor, slug, { name, unit });
        return reply.code(400).page('county/views/compare.njk', {
          ...comparisonPage(p, c),
          end: end ?? '',
          errors: r.errors,
        });
      }
      return reply.page('county/views/compare.njk', {
        ...comparisonPage(p, r.value),
        end: r.value.end,
        showTable: true,
      });
    },
  );
}
