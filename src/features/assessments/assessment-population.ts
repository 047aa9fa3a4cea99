/** The population estimates an assessment's rates are per 1,000 of, one release at a time. */
import type { PopulationRelease, PopulationRow } from './assessment-figures.js';

/** Which release has which area and year, and the latest year of each release. */
const releaseKeys = new WeakMap<
  PopulationRow[],
  { has: Set<string>; latest: Map<number, number> }
>();

/**
 * The release to use for a year: the newest one (the one reaching the latest year, then the
 * latest imported) that has the year for every one of the areas.
 */
export function releaseFor(
  releases: PopulationRelease[],
  populations: PopulationRow[],
  areas: string[],
  years: number[],
): PopulationRelease | null {
  let keys = releaseKeys.get(populations);
  if (!keys) {
    keys = { has: new Set(), latest: new Map() };
    for (const p of populations) {
      keys.has.add(`${p.importId}|${p.area}|${p.year}`);
      keys.latest.set(p.importId, Math.max(keys.latest.get(p.importId) ?? 0, p.year));
    }
    releaseKeys.set(populations, keys);
  }
  const { has, latest } = keys;
  const newestFirst = [...releases].sort(
    (a, b) =>
      (latest.get(b.importId) ?? 0) - (latest.get(a.importId) ?? 0) || b.importId - a.importId,
  );
  return (
    newestFirst.find((r) =>
      years.every((y) => areas.every((a) => has.has(`${r.importId}|${a}|${y}`))),
    ) ?? null
  );
}

/** The areas' population summed, or null when the release lacks any of them. */
export function populationOf(
  populations: PopulationRow[],
  importId: number,
  areas: string[],
  year: number,
): number | null {
  const index = populationIndex(populations, importId, year);
  let sum = 0;
  for (const a of areas) {
    const p = index.get(a);
    if (p === undefined) return null;
    sum += p;
  }
  return sum;
}

const indexes = new WeakMap<PopulationRow[], Map<string, Map<string, number>>>();

/** Population by area for one release and year, worked out once per list of rows. */
export function populationIndex(
  populations: PopulationRow[],
  importId: number,
  year: number,
): Map<string, number> {
  let byRelease = indexes.get(populations);
  if (!byRelease) {
    byRelease = new Map();
    for (const p of populations) {
      const key = `${p.importId}|${p.year}`;
      const m = byRelease.get(key) ?? new Map<string, number>();
      m.set(p.area, p.population);
      byRelease.set(key, m);
    }
    indexes.set(populations, byRelease);
  }
  return byRelease.get(`${importId}|${year}`) ?? new Map<string, number>();
}
