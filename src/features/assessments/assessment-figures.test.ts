import { describe, expect, it } from 'vitest';
import { monthsBetween } from '../../domain/periods.js';
import {
  ASB,
  buildFigures,
  type DistrictCountRow,
  type FiguresInput,
} from './assessment-figures.js';
import { releaseFor } from './assessment-population.js';
import { ordinal, rankBy, ratePerThousand } from './assessment-ranks.js';

const SWALE = { code: 'E07000113', name: 'Swale' };
const DARTFORD = { code: 'E07000107', name: 'Dartford' };
const GRAVESHAM = { code: 'E07000109', name: 'Gravesham' };
const MEDWAY = { code: 'E06000035', name: 'Medway' };
const KENT = 'Kent Police';

/** Every month from 2017-04 to 2022-03 published by Kent Police, none flagged. */
const allMonths = monthsBetween('2017-04', '2022-03');

/** `perMonth` crimes (split over two types) and `asb` ASB incidents a month for a district. */
function counts(
  district: string,
  perMonth: number,
  asb: number,
  months = allMonths,
): DistrictCountRow[] {
  return months.flatMap((month) => [
    { district, month, crimeType: 'Violence and sexual offences', count: perMonth - 1 },
    { district, month, crimeType: 'Shoplifting', count: 1 },
    { district, month, crimeType: ASB, count: asb },
  ]);
}

function input(over: Partial<FiguresInput> = {}): FiguresInput {
  const districts = [SWALE, DARTFORD, GRAVESHAM, MEDWAY];
  const all = [
    ...counts(SWALE.code, 10, 5),
    ...counts(DARTFORD.code, 20, 2),
    ...counts(GRAVESHAM.code, 5, 2),
    ...counts(MEDWAY.code, 30, 10),
  ];
  const window = { from: '2021-04', to: '2022-03' };
  const inWindow = all.filter((r) => r.month >= window.from && r.month <= window.to);
  const totals = new Map<string, number>();
  for (const r of inWindow) {
    const k = `${r.district}|${r.crimeType === ASB ? 'asb' : 'crime'}`;
    totals.set(k, (totals.get(k) ?? 0) + r.count);
  }
  return {
    partnership: { slug: 'swale', name: 'Swale CSP', districts: [SWALE] },
    window,
    crimeMonths: allMonths.map((month) => ({ force: KENT, month, flag: null })),
    counts: all.filter((r) => r.district === SWALE.code),
    forceShares: districts.map((d) => ({ district: d.code, force: KENT, count: 100 })),
    ourForceShares: [{ district: SWALE.code, force: KENT, count: 100 }],
    districtTotals: [...totals].map(([k, count]) => {
      const [district = '', measure] = k.split('|');
      return { district, measure: measure === 'asb' ? 'asb' : 'crime', count };
    }),
    districts,
    csps: [
      { code: 'E22000001', name: 'Swale', districts: [SWALE.code] },
      {
        code: 'E22000002',
        name: 'Dartford and Gravesham',
        districts: [DARTFORD.code, GRAVESHAM.code],
      },
      { code: 'E22000003', name: 'Medway', districts: [MEDWAY.code] },
    ],
    cspVintage: '2023',
    peers: [],
    wardCounts: [],
    wardNames: new Map(),
    releases: [
      { importId: 1, release: 'Mid-2022 (March 2024)', title: 'MYE22' },
      { importId: 2, release: 'Mid-2023 (July 2024)', title: 'MYE23' },
    ],
    populations: [
      ...[2017, 2018, 2019, 2020, 2021, 2022, 2023].flatMap((year) =>
        districts.map((d) => ({ importId: 2, area: d.code, year, population: 1000 })),
      ),
      // An older release with a different figure for 2021: never chosen while the newer has it.
      ...districts.map((d) => ({ importId: 1, area: d.code, year: 2021, population: 2000 })),
      ...districts.map((d) => ({ importId: 1, area: d.code, year: 2022, population: 2000 })),
    ],
    forceImports: new Map([[KENT, '23 November 2026']]),
    ...over,
  };
}

describe('rates and ranks', () => {
  it('gives a rate per 1,000 to one decimal place, half away from zero', () => {
    expect(ratePerThousand(1, 2000)).toBe('0.5');
    expect(ratePerThousand(1, 20000)).toBe('0.1'); // 0.05 rounds up
    expect(ratePerThousand(14000, 154598)).toBe('90.6');
  });

  it('says 1st, 2nd, 3rd, 11th and 22nd', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
    ]);
  });

  it('gives equal rates the same rank and says they are joint', () => {
    const rank = rankBy(
      [
        { code: 'a', name: 'A', count: 1, rate: '9.0' },
        { code: 'b', name: 'B', count: 1, rate: '5.5' },
        { code: 'c', name: 'C', count: 1, rate: '5.5' },
        { code: 'd', name: 'D', count: 1, rate: '1.0' },
      ],
      'c',
      'districts',
    );
    expect(rank?.text).toBe('joint 2nd highest of 4 districts');
    expect(rank?.table.map((r) => r.position)).toEqual([1, 2, 2, 4]);
  });
});

describe('buildFigures', () => {
  it('counts crime without ASB and ASB apart, with rate, change and ranks', () => {
    const f = buildFigures(input());
    expect(f.measures.crime.count).toBe(120);
    expect(f.measures.asb.count).toBe(60);
    expect(f.population).toMatchObject({
      year: 2021,
      value: 1000,
      release: 'Mid-2023 (July 2024)',
    });
    expect(f.measures.crime.rate?.value).toBe('120.0');
    expect(f.measures.crime.change.text).toBe('no change');
    // Rates: Medway 360, Dartford 240, Swale 120, Gravesham 60.
    expect(f.measures.crime.ranks.districts[0]?.text).toBe(
      '3rd highest of 4 districts with the whole period loaded',
    );
    // Dartford and Gravesham together: 300 on 2,000 = 150 per 1,000, above Swale.
    expect(f.measures.crime.ranks.partnerships?.position).toBe(3);
    expect(f.measures.crime.ranks.partnerships?.table.map((r) => r.rate)).toEqual([
      '360.0',
      '150.0',
      '120.0',
    ]);
    expect(f.measures.crime.trend.points).toHaveLength(5);
    expect(f.measures.crime.trend.release).toBe('Mid-2023 (July 2024)');
    expect(f.measures.crime.basis.source).toContain('Kent Police, imported 23 November 2026');
  });

  it('sums both districts of Dartford and Gravesham', () => {
    const dg = input({
      partnership: {
        slug: 'dartford-gravesham',
        name: 'Dartford and Gravesham CSP',
        districts: [DARTFORD, GRAVESHAM],
      },
      counts: [...counts(DARTFORD.code, 20, 2), ...counts(GRAVESHAM.code, 5, 2)],
      ourForceShares: [
        { district: DARTFORD.code, force: KENT, count: 1 },
        { district: GRAVESHAM.code, force: KENT, count: 1 },
      ],
    });
    const f = buildFigures(dg);
    expect(f.measures.crime.count).toBe(300);
    expect(f.measures.asb.count).toBe(48);
    expect(f.population?.value).toBe(2000);
    expect(f.measures.crime.rate?.value).toBe('150.0');
    expect(f.measures.crime.ranks.partnerships?.text).toMatch(/^2nd highest of 3 /);
    expect(f.measures.crime.ranks.districts).toHaveLength(2);
  });

  it('refuses a level for a period with a missing month, and names it', () => {
    const months = input().crimeMonths.filter((m) => m.month !== '2021-11');
    const f = buildFigures(input({ crimeMonths: months }));
    expect(f.measures.crime.count).toBeNull();
    expect(f.measures.crime.countText).toBe('incomplete (11 of 12 months)');
    expect(f.measures.crime.basis.missing.map((m) => m.label)).toEqual(['November 2021']);
    expect(f.measures.crime.change.complete).toBe(false);
    expect(f.measures.crime.rate).toBeNull();
    expect(f.measures.crime.seasonality.months.find((m) => m.month === '2021-11')).toMatchObject({
      count: null,
      note: 'not loaded',
    });
    // Only the four earlier years are whole.
    expect(f.measures.crime.trend.points).toHaveLength(4);
    expect(f.measures.crime.trend.note).toContain('1 of the 5 years is left out');
  });

  it('uses a flagged month but calls it out wherever it is used', () => {
    const months = input().crimeMonths.map((m) =>
      m.month === '2021-12' ? { ...m, flag: 'about half the usual records' } : m,
    );
    const f = buildFigures(input({ crimeMonths: months }));
    expect(f.measures.crime.count).toBe(120);
    expect(f.measures.crime.basis.flagged).toEqual([
      {
        month: '2021-12',
        label: 'December 2021',
        reason: 'Kent Police: about half the usual records',
      },
    ]);
    expect(f.measures.crime.trend.points.at(-1)?.flagged).toHaveLength(1);
    expect(f.notes.map((n) => n.month)).toEqual(['2021-12']);
  });

  it('works over any 12 months, across a year end', () => {
    const f = buildFigures(input({ window: { from: '2021-01', to: '2021-12' } }));
    expect(f.periodLabel).toBe('January 2021 to December 2021');
    expect(f.previousWindow).toEqual({ from: '2020-01', to: '2020-12' });
    expect(f.measures.crime.count).toBe(120);
    expect(f.measures.crime.seasonality.months[0]?.label).toBe('January 2021');
  });

  it('names the newest release with the year, and never mixes releases in a trend', () => {
    const i = input({ window: { from: '2022-04', to: '2023-03' } });
    const f = buildFigures(i);
    expect(f.population).toMatchObject({
      year: 2022,
      value: 1000,
      release: 'Mid-2023 (July 2024)',
    });
    expect(f.population?.source).toBe(
      'ONS mid-year population estimates, mid-2022, Mid-2023 (July 2024)',
    );
    // Without the newer release's 2020, no release has 2020 and 2022 for a trend.
    const older = i.populations.filter((p) => !(p.importId === 2 && p.year === 2020));
    expect(releaseFor(i.releases, older, [SWALE.code], [2022])?.release).toBe(
      'Mid-2023 (July 2024)',
    );
    expect(releaseFor(i.releases, older, [SWALE.code], [2020, 2022])).toBeNull();
    const onlyOld = i.populations.filter((p) => p.importId === 1);
    expect(releaseFor(i.releases, onlyOld, [SWALE.code], [2022])?.release).toBe(
      'Mid-2022 (March 2024)',
    );
    const none = buildFigures({ ...i, populations: [] });
    expect(none.population).toBeNull();
    expect(none.populationNote).toMatch(/No population estimate for mid-2022/);
  });

  it('ranks the chosen peer group', () => {
    const f = buildFigures(input({ peers: [MEDWAY.code, GRAVESHAM.code] }));
    expect(f.measures.crime.ranks.peers?.text).toBe('2nd highest of 3 in the peer group');
  });

  it('lists the top five wards by count and names the ward set', () => {
    const wards = ['A', 'B', 'C', 'D', 'E', 'F'].map((w, i) => ({
      ward: `E0500000${i}`,
      vintage: '2021',
      measure: 'crime' as const,
      count: 10 * (i + 1),
    }));
    const f = buildFigures(
      input({
        wardCounts: wards,
        wardNames: new Map(wards.map((w, i) => [`${w.ward}|2021`, `Ward ${'ABCDEF'[i]}`])),
      }),
    );
    const h = f.measures.crime.hotspots;
    expect(h.vintage).toBe('2021');
    expect(h.rows.map((r) => r.name)).toEqual(['Ward F', 'Ward E', 'Ward D', 'Ward C', 'Ward B']);
    expect(h.note).toMatch(/Ward population estimates are not loaded/);
  });

  it('breaks crime down by type with the change on the year before', () => {
    const f = buildFigures(input());
    expect(f.measures.crime.types?.rows.map((r) => [r.crimeType, r.count])).toEqual([
      ['Violence and sexual offences', 108],
      ['Shoplifting', 12],
    ]);
    expect(f.measures.asb.types).toBeNull();
  });
});
