/**
 * Rates per 1,000 people and where they rank: among every district and partnership with the
 * whole period loaded, and in the peer group the partnership chose.
 */
import { divideRoundHalfAway } from '../../domain/change.js';
import { windowMonths } from '../../domain/periods.js';
import type { Coverage } from './assessment-coverage.js';
import type {
  Csp,
  FiguresInput,
  Measure,
  MeasureFigures,
  PopulationUsed,
  Rank,
} from './assessment-figures.js';
import { populationIndex } from './assessment-population.js';

/** Per 1,000 people to one decimal place, half away from zero, exactly. */
export function ratePerThousand(count: number, population: number): string {
  const tenths = divideRoundHalfAway(BigInt(count) * 10000n, BigInt(population));
  return `${tenths / 10n}.${tenths % 10n}`;
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Compares "52.3" and "7.0" as numbers: both have exactly one decimal. */
const tenthsOf = (rate: string): number => Math.round(Number(rate) * 10);

/** Highest rate first; equal rates share the higher position ("joint 2nd"). */
export function rankBy(
  entries: { code: string; name: string; count: number; rate: string }[],
  us: string,
  among: string,
): Rank | null {
  const sorted = entries
    .map((e) => ({ e, tenths: tenthsOf(e.rate) }))
    .sort((a, b) => b.tenths - a.tenths || a.e.name.localeCompare(b.e.name));
  const table: Rank['table'] = [];
  let position = 0;
  sorted.forEach(({ e, tenths }, i) => {
    if (i === 0 || tenths !== sorted[i - 1]?.tenths) position = i + 1;
    table.push({ ...e, position, us: e.code === us });
  });
  const mine = table.find((e) => e.us);
  if (!mine) return null;
  const tied = table.filter((e) => e.position === mine.position).length > 1;
  return {
    position: mine.position,
    of: table.length,
    tied,
    text: `${tied ? 'joint ' : ''}${ordinal(mine.position)} highest of ${table.length} ${among}`,
    among,
    table,
  };
}

/** A measure's ranks over districts and partnerships with the whole period and a population. */
export function ranksOf(
  input: FiguresInput,
  measure: Measure,
  coverage: Coverage,
  population: PopulationUsed,
  districtName: ReadonlyMap<string, string>,
): { ranks: MeasureFigures['ranks']; rankNote: string | null } {
  const ours = input.partnership.districts.map((d) => d.code);
  const oursSet = new Set(ours);
  const ranks: MeasureFigures['ranks'] = { districts: [], partnerships: null, peers: null };
  let rankNote: string | null = null;
  const totals = new Map<string, number>();
  for (const t of input.districtTotals) if (t.measure === measure) totals.set(t.district, t.count);
  const pop = populationIndex(input.populations, population.importId, population.year);
  const months = windowMonths(input.window);
  const whole = new Map<string, boolean>();
  const complete = (d: string) => {
    let c = whole.get(d);
    if (c === undefined) whole.set(d, (c = months.every((m) => coverage.loaded([d], m))));
    return c;
  };
  const entry = (code: string, name: string, members: string[]) => {
    if (!members.every((d) => complete(d) && pop.has(d))) return null;
    const c = members.reduce((s, d) => s + (totals.get(d) ?? 0), 0);
    const p = members.reduce((s, d) => s + (pop.get(d) ?? 0), 0);
    return { code, name, count: c, rate: ratePerThousand(c, p) };
  };
  const districtEntries = input.districts
    .map((d) => entry(d.code, d.name, [d.code]))
    .filter((e) => e !== null);
  for (const d of ours) {
    const r = rankBy(districtEntries, d, 'districts with the whole period loaded');
    if (r) ranks.districts.push(r);
  }
  const usCode = `partnership:${input.partnership.slug}`;
  const sameDistricts = (c: Csp) =>
    c.districts.length === ours.length && c.districts.every((d) => oursSet.has(d));
  const ourCsp = input.csps.find(sameDistricts);
  const cspEntries = input.csps
    .map((c) =>
      c === ourCsp
        ? entry(usCode, input.partnership.name, ours)
        : entry(c.code, c.name, c.districts),
    )
    .filter((e) => e !== null);
  if (!ourCsp) {
    const e = entry(usCode, input.partnership.name, ours);
    if (e) cspEntries.push(e);
  }
  ranks.partnerships = rankBy(
    cspEntries,
    usCode,
    `community safety partnerships${input.cspVintage ? ` (${input.cspVintage} lookup)` : ''} with the whole period loaded`,
  );
  if (input.peers.length) {
    const peerEntries = [
      entry(usCode, input.partnership.name, ours),
      ...input.peers
        .filter((d) => !oursSet.has(d))
        .map((d) => entry(d, districtName.get(d) ?? d, [d])),
    ].filter((e) => e !== null);
    const left = input.peers.filter((d) => !oursSet.has(d)).length - (peerEntries.length - 1);
    ranks.peers = rankBy(peerEntries, usCode, 'in the peer group');
    if (left > 0) {
      rankNote = `${left} of the peer group ${left === 1 ? 'is' : 'are'} left out: ${left === 1 ? 'its' : 'their'} period is not wholly loaded or ${left === 1 ? 'it has' : 'they have'} no population estimate in the same release.`;
    }
  }
  return { ranks, rankNote };
}
