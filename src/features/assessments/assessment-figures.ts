/**
 * The figures of a strategic assessment, worked out from counts already read from the database:
 * level, rate per 1,000 people, change on the previous 12 months, rank among districts and
 * partnerships, five-year trend, months, crime types and hotspot wards — for all crime without
 * anti-social behaviour, and for anti-social behaviour. No I/O here: the repository reads the
 * rows, these functions decide what they say.
 *
 * A figure over a window with a month not loaded (assessment-coverage.ts) is not given at all,
 * only said to be incomplete; a flagged month is used, but every figure it feeds names it.
 */
import { compareFigures, type Change } from '../../domain/change.js';
import {
  addMonths,
  compareMonths,
  longWindowLabel,
  monthLabel,
  MONTH_NAMES,
  previousWindow,
  windowMonths,
  type MonthWindow,
} from '../../domain/periods.js';
import { Coverage, homeForces } from './assessment-coverage.js';
import { populationIndex, populationOf, releaseFor } from './assessment-population.js';
import { ranksOf, ratePerThousand } from './assessment-ranks.js';

export const ASB = 'Anti-social behaviour';
export const MEASURES = ['crime', 'asb'] as const;
export type Measure = (typeof MEASURES)[number];
export const MEASURE_LABELS: Record<Measure, string> = {
  crime: 'All crime (excluding anti-social behaviour)',
  asb: 'Anti-social behaviour',
};
export const measureOf = (crimeType: string): Measure => (crimeType === ASB ? 'asb' : 'crime');

export const POLICE_SOURCE = 'data.police.uk street-level crime and anti-social behaviour';
export const POPULATION_SOURCE = 'ONS mid-year population estimates';
export const TREND_YEARS = 5;

// ---------------------------------------------------------------------------------------------
// What comes in

export interface CrimeMonthRow {
  force: string;
  month: string;
  flag: string | null;
}

/** A count of one district, month and crime type (all forces' records located there). */
export interface DistrictCountRow {
  district: string;
  month: string;
  crimeType: string;
  count: number;
}

/** How much of a district's crime each force recorded in a window: picks its home force. */
export interface ForceShareRow {
  district: string;
  force: string;
  count: number;
}

/** A district's total of one measure over the period, for ranking. */
export interface DistrictTotalRow {
  district: string;
  measure: Measure;
  count: number;
}

export interface WardCountRow {
  ward: string;
  vintage: string;
  measure: Measure;
  count: number;
}

export interface PopulationRelease {
  importId: number;
  /** How ONS names the release, like "Mid-2023 (published July 2024)". */
  release: string;
  title: string;
}

export interface PopulationRow {
  importId: number;
  area: string;
  year: number;
  population: number;
}

export interface Area {
  code: string;
  name: string;
}

export interface Csp extends Area {
  districts: string[];
}

export interface FiguresInput {
  partnership: { slug: string; name: string; districts: Area[] };
  window: MonthWindow;
  /** Every force's published months (crime_months). */
  crimeMonths: CrimeMonthRow[];
  /** The partnership's districts' counts over the trend's five years. */
  counts: DistrictCountRow[];
  /** Force shares of every district over the period: their home forces. */
  forceShares: ForceShareRow[];
  /** Force shares of the partnership's districts over the trend's five years. */
  ourForceShares: ForceShareRow[];
  /** Every district's totals over the period, for ranks. */
  districtTotals: DistrictTotalRow[];
  /** Every district's name. */
  districts: Area[];
  /** CSPs of the newest lookup, with their districts. */
  csps: Csp[];
  cspVintage: string | null;
  /** The chosen peer group: district codes. */
  peers: string[];
  wardCounts: WardCountRow[];
  /** Ward names by `${code}|${vintage}`. */
  wardNames: ReadonlyMap<string, string>;
  releases: PopulationRelease[];
  populations: PopulationRow[];
  /** The crime imports that filled the months used ("Kent Police": "23 November 2026"). */
  forceImports: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------
// What goes out

export interface MonthNote {
  month: string;
  label: string;
  /** Why it is called out: "not loaded" or the importer's reason. */
  reason: string;
}

/** What a figure stands on: its source, period, and the months it cannot vouch for. */
export interface Basis {
  source: string;
  period: MonthWindow;
  periodLabel: string;
  complete: boolean;
  missing: MonthNote[];
  flagged: MonthNote[];
}

export interface PopulationUsed {
  year: number;
  value: number;
  release: string;
  importId: number;
  source: string;
}

export interface Rate {
  /** Per 1,000 people, one decimal place: "52.3". */
  value: string;
  population: PopulationUsed;
}

export interface Rank {
  /** 1 is the highest rate. Equal rates share a rank. */
  position: number;
  of: number;
  tied: boolean;
  /** "6th highest of 52 districts", "joint 2nd highest of 3 in the peer group". */
  text: string;
  among: string;
  /** The whole ranking, highest rate first, for the table beside it. */
  table: {
    code: string;
    name: string;
    count: number;
    rate: string;
    position: number;
    us: boolean;
  }[];
}

export interface TrendPoint {
  window: MonthWindow;
  label: string;
  count: number;
  rate: string | null;
  flagged: MonthNote[];
}

export interface SeasonalMonth {
  month: string;
  label: string;
  count: number | null;
  note: string | null;
}

export interface TypeRow {
  crimeType: string;
  count: number | null;
  previous: number | null;
  change: Change | null;
}

export interface Hotspot {
  code: string;
  name: string;
  count: number;
  rate: string | null;
}

export interface MeasureFigures {
  measure: Measure;
  label: string;
  basis: Basis;
  count: number | null;
  countText: string;
  rate: Rate | null;
  rateNote: string | null;
  previous: { basis: Basis; count: number | null };
  change: Change;
  ranks: { districts: Rank[]; partnerships: Rank | null; peers: Rank | null };
  rankNote: string | null;
  trend: {
    points: TrendPoint[];
    release: string | null;
    note: string | null;
    basis: Basis;
  };
  seasonality: { months: SeasonalMonth[]; basis: Basis };
  types: { rows: TypeRow[]; basis: Basis } | null;
  hotspots: { vintage: string | null; rows: Hotspot[]; note: string | null; basis: Basis };
}

export interface AssessmentFigures {
  partnership: { slug: string; name: string; districts: Area[] };
  window: MonthWindow;
  periodLabel: string;
  previousWindow: MonthWindow;
  population: PopulationUsed | null;
  populationNote: string | null;
  measures: Record<Measure, MeasureFigures>;
  /** Every source used, as the data sources section lists them. */
  sources: string[];
  /** Months missing or flagged anywhere in the period or the year before. */
  notes: MonthNote[];
}

const grouped = (n: number): string => n.toLocaleString('en-GB');

// ---------------------------------------------------------------------------------------------
// The figures

const populationSource = (r: PopulationRelease, year: number) =>
  `${POPULATION_SOURCE}, mid-${year}, ${r.release || r.title}`;

/** Start year of a window: the mid-year estimate used for its rate. */
const startYear = (w: MonthWindow): number => Number(w.from.slice(0, 4));

/** Counts by month, then by crime type: each window's sum reads only its own months. */
type CountIndex = Map<string, Map<string, number>>;

function indexCounts(counts: DistrictCountRow[]): CountIndex {
  const index: CountIndex = new Map();
  for (const r of counts) {
    const m = index.get(r.month) ?? new Map<string, number>();
    m.set(r.crimeType, (m.get(r.crimeType) ?? 0) + r.count);
    index.set(r.month, m);
  }
  return index;
}

function sumCounts(
  index: CountIndex,
  measure: Measure,
  window: MonthWindow,
  crimeType?: string,
): number {
  let sum = 0;
  for (const month of windowMonths(window)) {
    for (const [type, n] of index.get(month) ?? []) {
      if (measureOf(type) === measure && (crimeType === undefined || type === crimeType)) sum += n;
    }
  }
  return sum;
}

export function buildFigures(input: FiguresInput): AssessmentFigures {
  const { window } = input;
  const ours = input.partnership.districts.map((d) => d.code);
  const home = homeForces(input.forceShares);
  // Our districts' home forces over the trend's years too: their share is in `counts` anyway.
  const ourShares = homeForces(input.ourForceShares);
  for (const [d, f] of ourShares) home.set(d, f);
  const coverage = new Coverage(input.crimeMonths, home);
  const counts = indexCounts(input.counts);
  const forces = [...new Set(ours.map((d) => home.get(d)).filter((f) => f !== undefined))];
  const imported = forces
    .map((f) => (input.forceImports.get(f) ? `${f}, imported ${input.forceImports.get(f)}` : f))
    .join('; ');
  const policeSource = `${POLICE_SOURCE}${imported ? ` (${imported})` : ''}`;
  const previous = previousWindow(window);

  const year = startYear(window);
  const release = releaseFor(input.releases, input.populations, ours, [year]);
  const populationValue = release
    ? populationOf(input.populations, release.importId, ours, year)
    : null;
  const population: PopulationUsed | null =
    release && populationValue !== null
      ? {
          year,
          value: populationValue,
          release: release.release || release.title,
          importId: release.importId,
          source: populationSource(release, year),
        }
      : null;
  const populationNote = population
    ? null
    : `No population estimate for mid-${year} is loaded for ${ours.length > 1 ? 'every district of the partnership' : 'the district'}, so rates are not given.`;

  const districtName = new Map(input.districts.map((d) => [d.code, d.name]));
  for (const d of input.partnership.districts) districtName.set(d.code, d.name);

  const measureFigures = (measure: Measure): MeasureFigures => {
    const basis = coverage.basis(ours, window, policeSource);
    const prevBasis = coverage.basis(ours, previous, policeSource);
    const count = basis.complete ? sumCounts(counts, measure, window) : null;
    const prevCount = prevBasis.complete ? sumCounts(counts, measure, previous) : null;
    const change: Change =
      count !== null && prevCount !== null
        ? compareFigures(String(prevCount), String(count), {
            unit: 'count',
            noun: measure === 'asb' ? 'incidents' : 'crimes',
          })
        : {
            kind: 'incomplete',
            complete: false,
            change: null,
            percent: null,
            text: `not given: ${count === null ? `${basis.missing.length} of 12 months of ${longWindowLabel(window)}` : `${prevBasis.missing.length} of 12 months of ${longWindowLabel(previous)}`} not loaded`,
          };
    const rate =
      count !== null && population
        ? { value: ratePerThousand(count, population.value), population }
        : null;
    const rateNote =
      count === null ? 'Not given: the period is incomplete.' : population ? null : populationNote;

    const { ranks, rankNote } =
      count !== null && population
        ? ranksOf(input, measure, coverage, population, districtName)
        : {
            ranks: { districts: [], partnerships: null, peers: null },
            rankNote: 'Ranks need the whole period and a population estimate.',
          };

    // Trend: up to five 12-month periods ending with this one, only those wholly loaded.
    const windows: MonthWindow[] = [];
    for (let i = TREND_YEARS - 1; i >= 0; i--) {
      windows.push({ from: addMonths(window.from, -12 * i), to: addMonths(window.to, -12 * i) });
    }
    const trendBasis = coverage.basis(
      ours,
      { from: windows[0]?.from ?? window.from, to: window.to },
      policeSource,
    );
    const included = windows.filter((w) => windowMonths(w).every((m) => coverage.loaded(ours, m)));
    const trendRelease = releaseFor(
      input.releases,
      input.populations,
      ours,
      included.map(startYear),
    );
    const points = included.map((w) => {
      const c = sumCounts(counts, measure, w);
      const p = trendRelease
        ? populationOf(input.populations, trendRelease.importId, ours, startYear(w))
        : null;
      return {
        window: w,
        label: longWindowLabel(w),
        count: c,
        rate: p ? ratePerThousand(c, p) : null,
        flagged: coverage.basis(ours, w, policeSource).flagged,
      };
    });
    const leftOut = windows.length - included.length;
    const trendNotes = [
      leftOut > 0
        ? `${leftOut} of the ${TREND_YEARS} years ${leftOut === 1 ? 'is' : 'are'} left out because ${leftOut === 1 ? 'it is' : 'they are'} not wholly loaded.`
        : null,
      trendRelease
        ? `Rates use the ${trendRelease.release || trendRelease.title} release for every year.`
        : 'No single population release covers every year, so rates are not given.',
    ].filter((n) => n !== null);
    basisAddSource(
      trendBasis,
      trendRelease ? `${POPULATION_SOURCE}, ${trendRelease.release || trendRelease.title}` : null,
    );

    // Seasonality: the period's months.
    const seasonal = windowMonths(window).map((month) => {
      const loaded = coverage.loaded(ours, month);
      const flag = loaded ? coverage.flag(ours, month) : null;
      return {
        month,
        label: monthLabel(month),
        count: loaded ? sumCounts(counts, measure, { from: month, to: month }) : null,
        note: loaded ? flag : 'not loaded',
      };
    });

    // Crime types, with their change.
    let types: MeasureFigures['types'] = null;
    if (measure === 'crime') {
      const names = [
        ...new Set(
          input.counts.filter((r) => measureOf(r.crimeType) === 'crime').map((r) => r.crimeType),
        ),
      ].sort();
      const rows = names.map((t) => {
        const c = basis.complete ? sumCounts(counts, 'crime', window, t) : null;
        const p = prevBasis.complete ? sumCounts(counts, 'crime', previous, t) : null;
        return {
          crimeType: t,
          count: c,
          previous: p,
          change:
            c !== null && p !== null
              ? compareFigures(String(p), String(c), { unit: 'count', noun: 'crimes' })
              : null,
        };
      });
      rows.sort(
        (a, b) => (b.count ?? 0) - (a.count ?? 0) || a.crimeType.localeCompare(b.crimeType),
      );
      types = { rows, basis };
    }

    // Hotspot wards: the ward set with most of the period's records.
    const byVintage = new Map<string, number>();
    for (const w of input.wardCounts) {
      if (w.measure === measure)
        byVintage.set(w.vintage, (byVintage.get(w.vintage) ?? 0) + w.count);
    }
    const vintage =
      [...byVintage].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0]?.[0] ?? null;
    const wardTotals = new Map<string, number>();
    for (const w of input.wardCounts) {
      if (w.measure === measure && w.vintage === vintage) {
        wardTotals.set(w.ward, (wardTotals.get(w.ward) ?? 0) + w.count);
      }
    }
    const wardPop = population
      ? populationIndex(input.populations, population.importId, year)
      : new Map<string, number>();
    const hotspotRows = [...wardTotals]
      .map(([code, c]) => {
        const p = wardPop.get(code);
        return {
          code,
          name: input.wardNames.get(`${code}|${vintage ?? ''}`) ?? code,
          count: c,
          rate: p ? ratePerThousand(c, p) : null,
        };
      })
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .slice(0, 5);
    const hotspotNotes = [
      byVintage.size > 1
        ? `Records fall in ${byVintage.size} ward sets in this period; the ${vintage} wards hold most of them and are shown.`
        : null,
      hotspotRows.length && hotspotRows.every((h) => h.rate === null)
        ? 'Ward population estimates are not loaded, so wards are ranked by count only and no rate is given.'
        : null,
      !basis.complete ? 'The period is incomplete, so these counts are partial.' : null,
    ].filter((n) => n !== null);

    return {
      measure,
      label: MEASURE_LABELS[measure],
      basis,
      count,
      countText:
        count === null ? `incomplete (${12 - basis.missing.length} of 12 months)` : grouped(count),
      rate,
      rateNote,
      previous: { basis: prevBasis, count: prevCount },
      change,
      ranks,
      rankNote,
      trend: {
        points,
        release: trendRelease ? trendRelease.release || trendRelease.title : null,
        note: trendNotes.join(' ') || null,
        basis: trendBasis,
      },
      seasonality: { months: seasonal, basis },
      types,
      hotspots: {
        vintage,
        rows: hotspotRows,
        note: hotspotNotes.join(' ') || null,
        basis,
      },
    };
  };

  const measures = { crime: measureFigures('crime'), asb: measureFigures('asb') };
  const notes = new Map<string, MonthNote>();
  for (const b of [measures.crime.basis, measures.crime.previous.basis]) {
    for (const n of [...b.missing, ...b.flagged]) notes.set(n.month, n);
  }
  const sources = [
    `${policeSource}: counts by district, ward, month and crime type.`,
    ...(population ? [`${population.source}: the population each rate is per 1,000 of.`] : []),
    ...(measures.crime.trend.release && measures.crime.trend.release !== population?.release
      ? [`${POPULATION_SOURCE}, ${measures.crime.trend.release}: the five-year trend's rates.`]
      : []),
    `ONS lookups from LSOA to ward and district${input.cspVintage ? `, and district to community safety partnership (${input.cspVintage})` : ''}: where each record falls.`,
  ];
  return {
    partnership: input.partnership,
    window,
    periodLabel: longWindowLabel(window),
    previousWindow: previous,
    population,
    populationNote,
    measures,
    sources,
    notes: [...notes.values()].sort((a, b) => compareMonths(a.month, b.month)),
  };
}

function basisAddSource(basis: Basis, extra: string | null): void {
  if (extra) basis.source = `${basis.source}; ${extra}`;
}

/** "April", as the seasonality chart labels its columns. */
export const monthName = (month: string): string =>
  MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month;
