import type { Actor } from '../../core/actor.js';
import { monthsBetween } from '../../domain/periods.js';
import type { Services } from '../../services.js';

/** Monthly figures for three years, up to the plan's December round. */
const FIRST_MONTH = '2022-01';
const LAST_MONTH = '2024-12';

interface DemoIndicator {
  name: string;
  theme: string;
  source: string;
  unit: 'count' | 'rate' | 'percentage';
  noun: string;
  polarity: 'increase-bad' | 'increase-good' | 'neutral';
  /** A typical month, and how much each year differs from the one before (1.05 is 5% more). */
  monthly?: { base: number; yearly: number };
  /** Months with no figure: the source had not sent them. */
  gaps?: string[];
  /** 12-month totals by their last month, for sources that publish nothing finer. */
  totals?: Record<string, string>;
}

const INDICATORS: DemoIndicator[] = [
  {
    name: 'Domestic abuse incidents',
    theme: 'Domestic abuse',
    source: 'Kent Police',
    unit: 'count',
    noun: 'incidents',
    polarity: 'neutral',
    monthly: { base: 260, yearly: 1.04 },
  },
  {
    name: 'One Stop Shop visits',
    theme: 'Domestic abuse',
    source: 'Swale One Stop Shop',
    unit: 'count',
    noun: 'visits',
    polarity: 'increase-good',
    monthly: { base: 42, yearly: 1.1 },
    gaps: ['2024-08', '2024-11'],
  },
  {
    name: 'Violence against the person',
    theme: 'Crime and serious violence',
    source: 'Kent Police',
    unit: 'count',
    noun: 'crimes',
    polarity: 'increase-bad',
    monthly: { base: 410, yearly: 0.96 },
  },
  {
    name: 'Shoplifting',
    theme: 'Crime and serious violence',
    source: 'Kent Police',
    unit: 'count',
    noun: 'offences',
    polarity: 'increase-bad',
    monthly: { base: 95, yearly: 1.12 },
  },
  {
    name: 'ASB incidents',
    theme: 'Anti-social behaviour',
    source: 'Kent Police',
    unit: 'count',
    noun: 'incidents',
    polarity: 'increase-bad',
    monthly: { base: 330, yearly: 0.93 },
  },
  {
    name: 'Repeat callers to police',
    theme: 'Supporting vulnerable people',
    source: 'Kent Police',
    unit: 'percentage',
    noun: '',
    polarity: 'increase-bad',
    totals: { '2023-09': '24.1', '2024-09': '22.8', '2023-12': '23.7', '2024-12': '22.6' },
  },
  {
    name: 'First-time entrants to youth justice',
    theme: 'Young people',
    source: 'Kent Youth Justice',
    unit: 'count',
    noun: 'young people',
    polarity: 'increase-bad',
    totals: { '2023-09': '41', '2024-09': '36', '2023-12': '43', '2024-12': '35' },
  },
];

/** The same figures every time: a seasonal swing around the year's level, summer highest. */
function monthlyFigure(month: string, m: { base: number; yearly: number }): string {
  const year = Number(month.slice(0, 4)) - 2022;
  const season = Math.sin(((Number(month.slice(5, 7)) - 4) / 12) * 2 * Math.PI);
  return String(Math.round(m.base * m.yearly ** year * (1 + 0.12 * season)));
}

/** An indicator with its months (but for its gaps) and its 12-month totals. */
async function addIndicator(
  services: Services,
  actor: Actor,
  slug: string,
  i: DemoIndicator,
  themeId: string,
): Promise<void> {
  const { id } = await services.indicators.create(actor, slug, {
    name: i.name,
    source: i.source,
    unit: i.unit,
    noun: i.noun,
    polarity: i.polarity,
    themeId,
  });
  const { monthly } = i;
  if (monthly) {
    const months = monthsBetween(FIRST_MONTH, LAST_MONTH).filter((m) => !i.gaps?.includes(m));
    await services.indicators.saveMonths(
      actor,
      slug,
      id,
      Object.fromEntries(months.map((m) => [m, monthlyFigure(m, monthly)])),
    );
  }
  for (const [endMonth, value] of Object.entries(i.totals ?? {})) {
    await services.indicators.setTotal(actor, slug, id, { endMonth, value });
  }
}

/**
 * The county's second district keeps ASB incidents too, under the same name and unit, so the
 * county can compare its districts' figures side by side.
 */
export async function addSharedDemoIndicator(
  services: Services,
  actor: Actor,
  slug: string,
): Promise<void> {
  const asb = INDICATORS.find((i) => i.name === 'ASB incidents');
  if (!asb) throw new Error('the demo has no ASB indicator');
  await addIndicator(services, actor, slug, { ...asb, monthly: { base: 455, yearly: 0.96 } }, '');
}

/**
 * Swale's performance indicators under the themes of its plan, with their figures, then an
 * issued exception report for the rolling year to September 2024 and a draft for December.
 */
export async function addDemoIndicators(
  services: Services,
  actor: Actor,
  slug: string,
  planId: number,
): Promise<void> {
  const themes = await services.indicators.themeChoices(actor, slug);
  const themeId = (title: string) => {
    const theme = themes.find((t) => t.planId === planId && t.title === title);
    if (!theme) throw new Error(`the demo plan has no theme called ${title}`);
    return String(theme.id);
  };
  for (const i of INDICATORS) await addIndicator(services, actor, slug, i, themeId(i.theme));

  const { reports } = services;
  const september = await reports.create(actor, slug, { planId, periodEnd: '2024-09' });
  const header = {
    to: 'Swale Community Safety Partnership Executive',
    subject: 'Community safety plan 2024/25: exception report, quarter 2',
    by: 'Community Safety Manager, Swale Borough Council',
  };
  const first = await reports.get(actor, slug, september.id);
  await reports.updateHeader(actor, slug, september.id, {
    ...header,
    date: '2024-10-15',
    introduction: first.report.introduction,
  });
  const commentary: Record<string, string> = {
    'Domestic abuse':
      'More incidents are being reported, which the partnership reads as growing confidence to come forward rather than more abuse. One Stop Shop visits are up on last year.\n\nThe specialist training for partners is on hold until the new trainer starts.',
    'Anti-social behaviour':
      'Incidents continue to fall. The summer diversionary programme ran in the three wards with the most calls.',
  };
  for (const [title, text] of Object.entries(commentary)) {
    const theme = first.report.themes.find((t) => t.title === title);
    if (theme)
      await reports.saveCommentary(actor, slug, september.id, theme.id, { commentary: text });
  }
  await reports.issue(actor, slug, september.id);

  const december = await reports.create(actor, slug, { planId, periodEnd: '2024-12' });
  const draft = await reports.get(actor, slug, december.id);
  await reports.updateHeader(actor, slug, december.id, {
    ...header,
    subject: 'Community safety plan 2024/25: exception report, quarter 3',
    date: '2025-01-20',
    introduction: draft.report.introduction,
  });
}
