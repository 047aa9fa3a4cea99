import { monthsBetween } from '../../src/domain/periods.js';
import {
  buildExceptionReport,
  type ExceptionReport,
  type ReportInputs,
} from '../../src/features/reports/exception-report.js';
import type {
  Indicator,
  IndicatorFigures,
} from '../../src/features/indicators/indicators.repository.js';
import type { Plan, PlanAction } from '../../src/features/plans/plans.repository.js';

const theme = (id: number, type: 'priority' | 'cross-cutting', title: string) => ({
  id,
  title,
  type,
  planId: 1,
  planTitle: 'Community Safety Plan',
  periodLabel: '2022/23',
});

function action(
  id: number,
  themeId: number,
  number: string,
  title: string,
  latest: PlanAction['latest'],
): PlanAction {
  return {
    id,
    themeId,
    number,
    title,
    desiredOutcome: `Outcome of ${number}`,
    milestoneNote: null,
    version: 1,
    milestones: [
      {
        text: 'Agree the scope',
        timescale: 'By June 22',
        dueDate: '2022-06-30',
        timescaleNote: null,
      },
      {
        text: 'Report to the executive',
        timescale: 'Quarterly',
        dueDate: null,
        timescaleNote: null,
      },
    ],
    leads: [
      { type: 'agency', id: 1, name: 'Kent Police' },
      { type: 'group', id: 2, name: 'Swale Community Safety Unit' },
    ],
    latest,
  };
}

/** Every month of a run with the same figure. */
function months(from: string, to: string, value: string) {
  return monthsBetween(from, to).map((month) => ({ month, value }));
}

/**
 * A small report built from plain data, without a database: two themes (a priority and a
 * cross-cutting theme), a complete count, a rate, an incomplete indicator, a theme without
 * indicators, actions in each status group and one never updated. The rolling year ends
 * August 2022: previous 3,300 and current 3,471 domestic abuse incidents (5.2% or 171 incident
 * increase).
 */
export function sampleReport(): ExceptionReport {
  return buildExceptionReport(sampleInputs());
}

/**
 * The sample with its first indicator filled from police.uk data, and three months the crime
 * import flagged: one before both windows, one in each.
 */
export function flaggedReport(): ExceptionReport {
  const inputs = sampleInputs();
  const [domestic, ...others] = inputs.indicators;
  if (!domestic) throw new Error('the sample has indicators');
  return buildExceptionReport({
    ...inputs,
    indicators: [{ ...domestic, crimeType: 'All crime' }, ...others],
    crimeFlags: new Map([
      ['2020-08', 'Kent Police: a month before both windows'],
      ['2020-11', 'Kent Police: records fell to half of the months around it'],
      ['2022-08', 'Kent Police: records fell to a third of the months around it'],
    ]),
  });
}

/** What sampleReport is built from, for a test that changes a part of it. */
export function sampleInputs(): ReportInputs {
  const plan: Plan = {
    id: 1,
    title: 'Community Safety Plan',
    periodLabel: '2022/23',
    periodStart: '2022-04-01',
    periodEnd: '2023-03-31',
    status: 'adopted',
    updatedAt: '2022-09-01T00:00:00Z',
    introduction: '',
    background: '',
    delivery: '',
    performanceMonitoring: '',
    version: 1,
    drivers: [],
    risks: [],
    themes: [
      {
        id: 10,
        type: 'priority',
        position: 1,
        title: 'Domestic abuse',
        summary: '',
        version: 1,
        priorityActions: [],
        actions: [
          action(100, 10, '1.1', 'Run awareness campaigns', {
            month: '2022-09',
            status: 'in-progress',
            narrative: 'Two campaigns ran in July & August; a third is planned <soon>.',
          }),
          action(101, 10, '1.2', 'Train frontline staff', {
            month: '2022-09',
            status: 'complete',
            narrative: 'All 40 staff trained.',
          }),
          action(102, 10, '1.3', 'Review the referral pathway', {
            month: '2022-06',
            status: 'on-hold',
            narrative: 'Waiting for the county review.',
          }),
        ],
      },
      {
        id: 11,
        type: 'cross-cutting',
        position: 2,
        title: 'Substance misuse',
        summary: '',
        version: 1,
        priorityActions: [],
        actions: [action(103, 11, '2.1', 'Map treatment services', null)],
      },
    ],
  };
  const indicators: (Indicator & { figures: IndicatorFigures })[] = [
    {
      id: 1,
      name: 'Domestic abuse incidents',
      source: 'Kent Police',
      unit: 'count',
      noun: 'incidents',
      polarity: 'neutral',
      notes: '',
      theme: theme(10, 'priority', 'Domestic abuse'),
      figures: {
        months: [...months('2020-09', '2021-08', '275'), ...months('2021-09', '2022-08', '289')],
        totals: [{ endMonth: '2022-08', value: '3471' }],
      },
    },
    {
      id: 2,
      name: 'Repeat victims per 1,000',
      source: 'Kent Police',
      unit: 'rate',
      noun: '',
      polarity: 'increase-bad',
      notes: '',
      theme: theme(10, 'priority', 'Domestic abuse'),
      figures: {
        months: [...months('2020-09', '2021-08', '0.5'), ...months('2021-09', '2022-08', '0.25')],
        totals: [],
      },
    },
    {
      id: 3,
      name: 'MARAC cases',
      source: 'MARAC',
      unit: 'count',
      noun: 'cases',
      polarity: 'neutral',
      notes: '',
      theme: theme(10, 'priority', 'Domestic abuse'),
      figures: {
        months: [...months('2020-09', '2021-08', '10'), ...months('2021-09', '2022-06', '12')],
        totals: [],
      },
    },
  ];
  return {
    partnership: { slug: 'swale', name: 'Swale Community Safety Partnership' },
    plan,
    indicators,
    crimeFlags: new Map(),
    periodEnd: '2022-08',
    updatesUpTo: '2022-10',
    header: {
      to: 'CSP Executive',
      date: '2022-10-12',
      subject: 'Community safety plan: exception report',
      by: 'Community Safety Manager',
    },
    introduction:
      'This report sets out the figures for the rolling year to August 2022.\n\nIt then gives the full update.',
    commentary: new Map([
      [10, 'Reports rose as the campaigns ran.\n\nThe pathway review is on hold.'],
    ]),
    edition: {
      status: 'issued',
      version: 1,
      issuedAt: '2022-10-12T09:00:00Z',
      issuedBy: 'Sam Coordinator',
    },
  };
}
