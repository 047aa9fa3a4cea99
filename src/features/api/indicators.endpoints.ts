import { z } from 'zod';
import { BadRequestError, ValidationFailed } from '../../core/errors.js';
import { parseInput } from '../../core/form-errors.js';
import { MAX_FILE_BYTES } from '../../core/grid-file.js';
import type { Services } from '../../services.js';
import type { Actor } from '../../core/actor.js';
import { comparisonFigures } from '../../domain/change.js';
import {
  COMPARISON_BASES,
  indicatorFields,
  indicatorSchema,
} from '../indicators/indicators.schemas.js';
import { idParam } from '../partnerships/partnerships.routes.js';
import { IndicatorComparison, IndicatorDetail, IndicatorImport, Indicator } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';
import { FileBody, fileOf } from './plan-files.endpoints.js';

const INDICATORS = '/partnerships/{slug}/indicators';
const INDICATOR = `${INDICATORS}/{indicatorId}`;

export const valuesBodyMessages = {
  months: 'Months must be an object of months and figures, like {"2024-09": "120"}',
};

/** Monthly figures to save: a figure as text or a number, '' or null to clear the month. */
export const ValuesBody = z.object({
  months: z
    .record(z.string(), z.union([z.string(), z.number(), z.null()]), {
      error: valuesBodyMessages.months,
    })
    .meta({
      description:
        'Months like 2024-09 and their figures; an empty string or null clears the month. Months left out are kept',
    }),
});

export const TotalBody = z.object({
  endMonth: z.string().meta({ description: 'The last of the 12 months, like 2024-03' }),
  value: z.string().meta({ description: 'The 12-month total, like 2410' }),
});

export const comparisonQueryMessages = {
  basis: 'Basis must be rolling, financial or calendar',
};

const ComparisonQuery = z.object({
  // Checked by the service, which answers 400 for a month it cannot compare to.
  end: z.string().optional().meta({
    description:
      'The last month to compare to, like 2022-08; by default the latest month with a figure. A month in the future answers 400',
  }),
  basis: z.enum(COMPARISON_BASES, { error: comparisonQueryMessages.basis }).optional().meta({
    description:
      'rolling (the default): the 12 months to end; financial or calendar: the latest whole financial (April to March) or calendar year by the end of end. Each against the window before it',
  }),
});

async function comparison(
  services: Services,
  actor: Actor,
  slug: string,
  indicatorId: number,
  query: z.output<typeof ComparisonQuery>,
): Promise<z.input<typeof IndicatorComparison>> {
  let found;
  try {
    found = await services.indicators.comparisons(actor, slug, indicatorId, query.end);
  } catch (err) {
    if (err instanceof ValidationFailed) throw new BadRequestError(`end: ${err.message}`);
    throw err;
  }
  const basis = query.basis ?? 'rolling';
  const c = found.comparisons.find((x) => x.basis === basis);
  if (!c) throw new Error(`No ${basis} comparison`);
  return {
    basis,
    end: found.end,
    previousWindow: c.previousWindow,
    currentWindow: c.currentWindow,
    ...comparisonFigures(c),
    direction: c.direction,
  };
}

async function detail(
  services: Services,
  actor: Actor,
  slug: string,
  indicatorId: number,
): Promise<z.input<typeof IndicatorDetail>> {
  const [indicator, figures] = await Promise.all([
    services.indicators.get(actor, slug, indicatorId),
    services.indicators.figures(actor, slug, indicatorId),
  ]);
  return { ...indicator, figures };
}

/** Performance indicators and their figures. */
export const INDICATOR_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: INDICATORS,
    summary: 'The partnership’s indicators, by theme (latest plan first), then by name',
    tag: 'Indicators',
    status: 200,
    response: { schema: Indicator, list: true },
    run: ({ services, actor, params }) => services.indicators.list(actor, params.slug),
  }),
  endpoint({
    method: 'POST',
    path: INDICATORS,
    summary: 'Add an indicator (coordinators); its name must be new to the partnership',
    tag: 'Indicators',
    body: indicatorSchema,
    status: 201,
    response: { schema: IndicatorDetail },
    run: async ({ services, actor, params, body }) => {
      const made = await services.indicators.create(actor, params.slug, body);
      return detail(services, actor, params.slug, made.id);
    },
  }),
  endpoint({
    method: 'POST',
    path: `${INDICATORS}/import`,
    summary:
      'Import figures from a file (coordinators), with the columns Indicator, Month, Value and optionally Theme, Source, Unit, Polarity, Noun for indicators not yet known, and Months (1 or blank for a month’s value, 12 for a 12-month total ending at Month). All or nothing: a file with any bad row is refused whole, naming every problem by row and column',
    tag: 'Indicators',
    body: FileBody,
    upload: { field: 'content', maxBytes: MAX_FILE_BYTES },
    status: 201,
    response: { schema: IndicatorImport },
    run: async ({ services, actor, params, body }) => {
      // Coordinators only, before anything in the body is decoded or read.
      await services.indicatorFiles.checkAccess(actor, params.slug);
      return services.indicatorFiles.importFile(actor, params.slug, fileOf(FileBody, body));
    },
  }),
  endpoint({
    method: 'GET',
    path: INDICATOR,
    summary: 'One indicator with all its monthly figures and 12-month totals',
    tag: 'Indicators',
    status: 200,
    response: { schema: IndicatorDetail },
    run: ({ services, actor, params }) =>
      detail(services, actor, params.slug, idParam(params.indicatorId)),
  }),
  endpoint({
    method: 'GET',
    path: `${INDICATOR}/comparison`,
    summary:
      'The indicator over a window against the window before it, as the indicator page compares them, with the change and its direction of travel',
    tag: 'Indicators',
    query: ComparisonQuery,
    status: 200,
    response: { schema: IndicatorComparison },
    run: ({ services, actor, params, query }) =>
      comparison(services, actor, params.slug, idParam(params.indicatorId), query),
  }),
  endpoint({
    method: 'PATCH',
    path: INDICATOR,
    summary: 'Change an indicator (coordinators); fields left out keep their value',
    tag: 'Indicators',
    body: indicatorFields.partial(),
    status: 200,
    response: { schema: IndicatorDetail },
    run: async ({ services, actor, params, body }) => {
      const indicatorId = idParam(params.indicatorId);
      const i = await services.indicators.get(actor, params.slug, indicatorId);
      const current = {
        name: i.name,
        source: i.source,
        unit: i.unit,
        noun: i.noun,
        polarity: i.polarity,
        notes: i.notes,
        themeId: i.theme ? String(i.theme.id) : '',
        crimeType: i.crimeType ?? '',
      };
      await services.indicators.update(actor, params.slug, indicatorId, { ...current, ...body });
      return detail(services, actor, params.slug, indicatorId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: INDICATOR,
    summary: 'Delete an indicator and its figures (coordinators); the audit trail keeps them',
    tag: 'Indicators',
    status: 204,
    run: ({ services, actor, params }) =>
      services.indicators.delete(actor, params.slug, idParam(params.indicatorId)),
  }),
  endpoint({
    method: 'POST',
    path: `${INDICATOR}/values`,
    summary:
      'Set or clear monthly figures (coordinators), all or nothing; months after this one are refused. One audit entry lists every month changed',
    tag: 'Indicators',
    body: ValuesBody,
    status: 200,
    response: { schema: IndicatorDetail },
    run: async ({ services, actor, params, body }) => {
      const indicatorId = idParam(params.indicatorId);
      const { months } = parseInput(ValuesBody, body);
      const input = Object.fromEntries(
        Object.entries(months).map(([m, v]) => [m, v === null ? '' : String(v)]),
      );
      await services.indicators.saveMonths(actor, params.slug, indicatorId, input);
      return detail(services, actor, params.slug, indicatorId);
    },
  }),
  endpoint({
    method: 'POST',
    path: `${INDICATOR}/totals`,
    summary:
      'Set the 12-month total ending at a month (coordinators), as the source publishes it; comparisons use it for those 12 months in place of their monthly figures',
    tag: 'Indicators',
    body: TotalBody,
    status: 200,
    response: { schema: IndicatorDetail },
    run: async ({ services, actor, params, body }) => {
      const indicatorId = idParam(params.indicatorId);
      await services.indicators.setTotal(actor, params.slug, indicatorId, body);
      return detail(services, actor, params.slug, indicatorId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: `${INDICATOR}/totals/{endMonth}`,
    summary: 'Remove the 12-month total ending at a month (coordinators)',
    tag: 'Indicators',
    status: 204,
    run: ({ services, actor, params }) =>
      services.indicators.removeTotal(
        actor,
        params.slug,
        idParam(params.indicatorId),
        params.endMonth,
      ),
  }),
];
