import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt } from '../../core/form-errors.js';
import { POLARITIES, POLARITY_LABELS, windowTotal } from '../../domain/change.js';
import { formatFigure, UNITS, UNIT_LABELS, type Unit } from '../../domain/figures.js';
import {
  addMonths,
  compareMonths,
  financialYearLabel,
  financialYearOf,
  longWindowLabel,
  monthLabel,
  parseMonth,
  rollingYear,
  type MonthWindow,
} from '../../domain/periods.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { INDICATOR_CRIME_TYPES } from '../../domain/crime-types.js';
import { comparisonRow } from './comparison-rows.js';
import { SOURCE_KIND_LABELS } from './indicators.schemas.js';
import {
  comparisonInputs,
  type Indicator,
  type IndicatorFigures,
  type IndicatorTheme,
} from './indicators.repository.js';
import type { IndicatorDetail } from './indicators.service.js';
import { flaggedBetween } from './crime-indicators.js';

type Form = Record<string, string | undefined>;
type SlugParams = { slug: string };
type IndicatorParams = SlugParams & { indicatorId: string };

const NOTICES: Record<string, string> = {
  created: 'Indicator created. Enter its figures below, or import them from a file.',
  saved: 'Indicator saved.',
  deleted: 'Indicator deleted.',
  values: 'Values saved.',
  unchanged: 'No values were changed.',
  total: '12-month total saved.',
  removed: '12-month total removed.',
};

function crimeItems(selected: string | undefined) {
  return [
    { value: '', text: 'Select a crime type' },
    ...INDICATOR_CRIME_TYPES.map((t) => ({ value: t, text: t, selected: t === selected })),
  ];
}

const UNIT_ITEMS = UNITS.map((u) => ({ value: u, text: UNIT_LABELS[u] }));
const POLARITY_ITEMS = POLARITIES.map((v) => ({ value: v, text: POLARITY_LABELS[v] }));

/**
 * What the monthly values of a 12-month total add up to. The total is used in their place in
 * comparisons and reports, as the figure the source publishes, so a difference is pointed out.
 * Null for a percentage, whose months are never added up.
 */
function monthsBesideTotal(unit: Unit, endMonth: string, figures: IndicatorFigures): string | null {
  if (unit === 'percentage') return null;
  const { months, entered } = comparisonInputs(figures);
  const window = rollingYear(endMonth);
  const total = windowTotal(window, unit, months, entered);
  if (total.complete && total.monthsTotal !== undefined && total.difference !== undefined) {
    const short = !total.difference.startsWith('-');
    const by = formatFigure(total.difference.replace(/^-/, ''));
    return `Add up to ${formatFigure(total.monthsTotal)}: ${by} ${short ? 'less' : 'more'} than the total`;
  }
  const summed = windowTotal(window, unit, months);
  if (summed.complete) return 'Add up to the total';
  return `${summed.monthsPresent} of ${summed.monthsNeeded} months entered`;
}

/** The grid shows 24 months: two financial years, or the 24 months to a month. */
const GRID_MONTHS = 24;

/** The last month of the grid: the `end` asked for, or this month for none or a nonsense one. */
function gridEnd(end: string | undefined, current: string): string {
  try {
    const month = end ? parseMonth(end) : current;
    return month >= '1900-01' && month <= '2999-12' ? month : current;
  } catch {
    return current;
  }
}

/** Choices for the grid's window: the latest 24 months and pairs of financial years. */
function windowChoices(current: string, end: string) {
  const fy = financialYearOf(current).start;
  const choices = [{ value: current, text: `The 24 months to ${monthLabel(current)}` }];
  for (let start = fy; start > fy - 6; start -= 1) {
    const last = `${start + 1}-03`;
    choices.push({
      value: last,
      text: `Financial years ${financialYearLabel({ start: start - 1 })} and ${financialYearLabel({ start })}`,
    });
  }
  if (!choices.some((c) => c.value === end)) {
    choices.push({ value: end, text: `The 24 months to ${monthLabel(end)}` });
  }
  return choices.map((c) => ({ ...c, selected: c.value === end }));
}

/** Indicators under their themes, in the list's order; those with no theme last. */
function byTheme<I extends Indicator>(indicators: I[]) {
  const groups: { theme: IndicatorTheme | null; indicators: I[] }[] = [];
  for (const i of indicators) {
    const last = groups.at(-1);
    if (last && (last.theme?.id ?? null) === (i.theme?.id ?? null)) last.indicators.push(i);
    else groups.push({ theme: i.theme, indicators: [i] });
  }
  return groups;
}

function themeItems(themes: IndicatorTheme[], selected: string | undefined) {
  return [
    { value: '', text: 'No theme' },
    ...themes.map((t) => ({
      value: String(t.id),
      text: `${t.title} (${t.planTitle} ${t.periodLabel})`,
      selected: String(t.id) === selected,
    })),
  ];
}

function indicatorValues(i: IndicatorDetail): Form {
  return {
    name: i.name,
    source: i.source,
    unit: i.unit,
    noun: i.noun,
    polarity: i.polarity,
    notes: i.notes,
    themeId: i.theme ? String(i.theme.id) : '',
    sourceKind: i.crimeType ? 'police-uk' : 'entered',
    crimeType: i.crimeType ?? '',
  };
}

/** Months of the grid's fields named `prefix-2024-09`, with their text. */
function monthInputs(body: Form, prefix: 'month' | 'shown'): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith(`${prefix}-`)) input[key.slice(prefix.length + 1)] = value ?? '';
  }
  return input;
}

/** Indicators and their figures: the list, an indicator's details, values grid and totals. */
export async function indicatorRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, indicators } = app.services;
  const base = (slug: string) => `/partnerships/${slug}/indicators`;
  const crumbs = (p: { slug: string; name: string }) => [
    { text: p.name, href: `/partnerships/${p.slug}` },
    { text: 'Indicators', href: base(p.slug) },
  ];

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/indicators',
    async (request, reply) => {
      const actor = actorOf(request);
      const p = await partnerships.get(actor, request.params.slug);
      return reply.page('indicators/views/list.njk', {
        title: `Indicators – ${p.name}`,
        p,
        groups: byTheme(
          (await indicators.listWithLatest(actor, p.slug)).map(({ latest, ...i }) => ({
            ...i,
            latest: latest && comparisonRow(latest),
          })),
        ),
        unitLabels: UNIT_LABELS,
        polarityLabels: POLARITY_LABELS,
        notice: NOTICES[request.query.notice ?? ''],
      });
    },
  );

  const formPage = async (actor: Actor, slug: string, values: Form, indicatorId?: number) => {
    const p = await partnerships.get(actor, slug);
    return {
      p,
      values,
      indicatorId,
      unitItems: UNIT_ITEMS,
      polarityItems: POLARITY_ITEMS,
      themeItems: themeItems(await indicators.themeChoices(actor, slug), values.themeId),
      crimeItems: crimeItems(values.crimeType),
      sourceKindLabels: SOURCE_KIND_LABELS,
      breadcrumbs: crumbs(p),
    };
  };

  app.get<{ Params: SlugParams }>('/partnerships/:slug/indicators/new', async (request, reply) => {
    const actor = actorOf(request);
    await partnerships.manageable(actor, request.params.slug);
    return reply.page('indicators/views/form.njk', {
      title: 'Add an indicator',
      ...(await formPage(actor, request.params.slug, {})),
    });
  });

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/indicators/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const r = await attempt(() => indicators.create(actor, slug, request.body));
      if (!r.ok) {
        return reply.code(400).page('indicators/views/form.njk', {
          title: 'Add an indicator',
          ...(await formPage(actor, slug, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`${base(slug)}/${r.value.id}?notice=created`, 303);
    },
  );

  /** The comparisons to the month asked for (`to`), or the errors of a month refused. */
  const comparisonPart = async (actor: Actor, slug: string, indicatorId: number, to?: string) => {
    const r = await attempt(() => indicators.comparisons(actor, slug, indicatorId, to));
    if (!r.ok) return { compareTo: to ?? '', comparison: null, errors: r.errors };
    return {
      compareTo: r.value.end,
      comparison: {
        endLabel: monthLabel(r.value.end),
        rows: r.value.comparisons.map(comparisonRow),
      },
    };
  };

  const showPage = async (
    actor: Actor,
    slug: string,
    indicatorId: number,
    end: string | undefined,
    to?: string,
  ) => {
    const p = await partnerships.get(actor, slug);
    const indicator = await indicators.get(actor, slug, indicatorId);
    const current = indicators.currentMonth();
    const last = gridEnd(end, current);
    const window: MonthWindow = { from: addMonths(last, 1 - GRID_MONTHS), to: last };
    const months = await indicators.grid(actor, slug, indicatorId, window);
    const figures = await indicators.figures(actor, slug, indicatorId);
    const crime = await indicators.crimeSource(actor, slug, indicatorId);
    const comparisonPage = await comparisonPart(actor, slug, indicatorId, to);
    return {
      title: `${indicator.name} – ${p.name}`,
      crime: crime && {
        crimeType: crime.crimeType,
        districts: crime.districts,
        // Flagged months in what the page shows: the comparisons' windows and the grid.
        flaggedCompared: comparisonPage.comparison
          ? flaggedBetween(
              crime.flags,
              addMonths(comparisonPage.compareTo, -35),
              comparisonPage.compareTo,
            )
          : [],
        flags: Object.fromEntries(crime.flags),
      },
      p,
      indicator,
      ...comparisonPage,
      // Each form of the page keeps what the other asked for.
      askedEnd: end ?? '',
      askedTo: to ?? '',
      end: last,
      windowText: longWindowLabel(window),
      windowChoices: windowChoices(current, last),
      halves: [months.slice(0, 12), months.slice(12)].map((half) => ({
        label: longWindowLabel({ from: half[0]?.month ?? '', to: half.at(-1)?.month ?? '' }),
        months: half.map((m) => ({ ...m, label: monthLabel(m.month) })),
      })),
      earlier: addMonths(last, -GRID_MONTHS),
      later: compareMonths(last, current) < 0 ? addMonths(last, GRID_MONTHS) : null,
      totals: figures.totals.map((t) => ({
        ...t,
        label: longWindowLabel(rollingYear(t.endMonth)),
        text: formatFigure(t.value),
        months: monthsBesideTotal(indicator.unit, t.endMonth, figures),
      })),
      history: await indicators.history(actor, slug, indicatorId),
      unitLabels: UNIT_LABELS,
      polarityLabels: POLARITY_LABELS,
      formatFigure,
      breadcrumbs: crumbs(p),
    };
  };

  app.get<{ Params: IndicatorParams; Querystring: Form }>(
    '/partnerships/:slug/indicators/:indicatorId',
    async (request, reply) => {
      const { slug } = request.params;
      const page = await showPage(
        actorOf(request),
        slug,
        idParam(request.params.indicatorId),
        request.query.end,
        request.query.to,
      );
      return reply.code(page.errors ? 400 : 200).page('indicators/views/show.njk', {
        ...page,
        entered: {},
        notice: NOTICES[request.query.notice ?? ''],
      });
    },
  );

  app.post<{ Params: IndicatorParams; Body: Form }>(
    '/partnerships/:slug/indicators/:indicatorId/values',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const indicatorId = idParam(request.params.indicatorId);
      const body = request.body;
      const input = monthInputs(body, 'month');
      const shown = monthInputs(body, 'shown');
      const r = await attempt(() => indicators.saveMonths(actor, slug, indicatorId, input, shown));
      const end = gridEnd(body.end, indicators.currentMonth());
      if (!r.ok) {
        return reply.code(400).page('indicators/views/show.njk', {
          ...(await showPage(actor, slug, indicatorId, end)),
          entered: input,
          errors: r.errors,
        });
      }
      const notice = r.value === 0 ? 'unchanged' : 'values';
      return reply.redirect(`${base(slug)}/${indicatorId}?end=${end}&notice=${notice}`, 303);
    },
  );

  app.get<{ Params: IndicatorParams }>(
    '/partnerships/:slug/indicators/:indicatorId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const indicator = await indicators.get(actor, slug, idParam(request.params.indicatorId));
      await partnerships.manageable(actor, slug);
      return reply.page('indicators/views/form.njk', {
        title: `Change ${indicator.name}`,
        ...(await formPage(actor, slug, indicatorValues(indicator), indicator.id)),
      });
    },
  );

  app.post<{ Params: IndicatorParams; Body: Form }>(
    '/partnerships/:slug/indicators/:indicatorId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const indicatorId = idParam(request.params.indicatorId);
      const r = await attempt(() => indicators.update(actor, slug, indicatorId, request.body));
      if (!r.ok) {
        return reply.code(400).page('indicators/views/form.njk', {
          title: 'Change indicator',
          ...(await formPage(actor, slug, request.body, indicatorId)),
          errors: r.errors,
        });
      }
      return reply.redirect(`${base(slug)}/${indicatorId}?notice=saved`, 303);
    },
  );

  const totalsPage = async (actor: Actor, slug: string, indicatorId: number, values: Form) => {
    const page = await showPage(actor, slug, indicatorId, undefined);
    return {
      ...page,
      title: `12-month totals – ${page.indicator.name}`,
      values,
      breadcrumbs: [
        ...page.breadcrumbs,
        { text: page.indicator.name, href: `${base(slug)}/${indicatorId}` },
      ],
    };
  };

  app.get<{ Params: IndicatorParams; Querystring: Form }>(
    '/partnerships/:slug/indicators/:indicatorId/totals',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const indicatorId = idParam(request.params.indicatorId);
      return reply.page('indicators/views/totals.njk', {
        ...(await totalsPage(actor, slug, indicatorId, {})),
        notice: NOTICES[request.query.notice ?? ''],
      });
    },
  );

  app.post<{ Params: IndicatorParams; Body: Form }>(
    '/partnerships/:slug/indicators/:indicatorId/totals',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const indicatorId = idParam(request.params.indicatorId);
      const r = await attempt(() => indicators.setTotal(actor, slug, indicatorId, request.body));
      if (!r.ok) {
        return reply.code(400).page('indicators/views/totals.njk', {
          ...(await totalsPage(actor, slug, indicatorId, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`${base(slug)}/${indicatorId}/totals?notice=total`, 303);
    },
  );

  app.post<{ Params: IndicatorParams & { endMonth: string } }>(
    '/partnerships/:slug/indicators/:indicatorId/totals/:endMonth/remove',
    async (request, reply) => {
      const { slug, endMonth } = request.params;
      const indicatorId = idParam(request.params.indicatorId);
      await indicators.removeTotal(actorOf(request), slug, indicatorId, endMonth);
      return reply.redirect(`${base(slug)}/${indicatorId}/totals?notice=removed`, 303);
    },
  );
}
