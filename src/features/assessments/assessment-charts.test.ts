import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { buildFigures, type FiguresInput } from './assessment-figures.js';
import {
  chartPng,
  chartsOf,
  niceScale,
  seasonalityChart,
  trendChart,
  typesChart,
} from './assessment-charts.js';
import { monthsBetween } from '../../domain/periods.js';

/** The elements of an SVG, in order, with their attributes and text; throws if not well-formed XML. */
function parse(svg: string) {
  const parser = new SaxesParser({ xmlns: true });
  const elements: { name: string; attributes: Record<string, string>; text: string }[] = [];
  const open: (typeof elements)[number][] = [];
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [k, a] of Object.entries(tag.attributes)) {
      attributes[k] = typeof a === 'string' ? a : a.value;
    }
    const el = { name: tag.local ?? tag.name, attributes, text: '' };
    elements.push(el);
    open.push(el);
  });
  parser.on('text', (t) => {
    const el = open.at(-1);
    if (el) el.text += t;
  });
  parser.on('closetag', () => open.pop());
  parser.write(svg).close();
  return elements;
}

const months = monthsBetween('2017-04', '2022-03');
const input: FiguresInput = {
  partnership: { slug: 'swale', name: 'Swale', districts: [{ code: 'E07000113', name: 'Swale' }] },
  window: { from: '2021-04', to: '2022-03' },
  crimeMonths: months
    .filter((m) => m !== '2021-06')
    .map((month) => ({ force: 'Kent Police', month, flag: month === '2021-12' ? 'low' : null })),
  counts: months.flatMap((month, i) => [
    { district: 'E07000113', month, crimeType: 'Burglary', count: 10 + (i % 12) },
    { district: 'E07000113', month, crimeType: 'Vehicle crime & <other>', count: 3 },
    { district: 'E07000113', month, crimeType: 'Anti-social behaviour', count: 7 },
  ]),
  forceShares: [],
  ourForceShares: [{ district: 'E07000113', force: 'Kent Police', count: 1 }],
  districtTotals: [],
  districts: [],
  csps: [],
  cspVintage: null,
  peers: [],
  wardCounts: [],
  wardNames: new Map(),
  releases: [],
  populations: [],
  forceImports: new Map(),
};
const figures = buildFigures(input);
const crime = figures.measures.crime;

describe('charts', () => {
  it('are well-formed SVG images with a title and a description', () => {
    for (const chart of [...chartsOf(crime), ...chartsOf(figures.measures.asb)]) {
      const elements = parse(chart.svg);
      const root = elements[0];
      expect(root?.name).toBe('svg');
      expect(root?.attributes.role).toBe('img');
      expect(root?.attributes['aria-labelledby']).toBe(`${chart.id}-title ${chart.id}-desc`);
      expect(elements[1]).toMatchObject({ name: 'title', text: chart.title });
      expect(elements[2]).toMatchObject({ name: 'desc', text: chart.description });
    }
  });

  it('describes every value in words, a missing month and a flagged one included', () => {
    const chart = seasonalityChart('s', crime);
    expect(chart.description).toContain('June 2021, not loaded');
    expect(chart.description).toContain('December 2021, 21 (flagged as possibly incomplete)');
    expect(chart.svg).toContain('dashed outline: month not loaded');
  });

  it('escapes text from the data', () => {
    const chart = typesChart(
      't',
      buildFigures({
        ...input,
        crimeMonths: months.map((month) => ({ force: 'Kent Police', month, flag: null })),
      }).measures.crime,
    );
    expect(chart?.svg).toContain('Vehicle crime &amp; &lt;other&gt;');
    expect(() => parse(chart?.svg ?? '')).not.toThrow();
  });

  it('leaves the incomplete year out of the trend and says so', () => {
    const chart = trendChart('t', crime);
    // 2021/22 has June missing: four whole years remain.
    expect(crime.trend.points).toHaveLength(4);
    expect(chart.description).toMatch(/^Line chart/);
    expect(chart.description).not.toContain('April 2021 to March 2022');
  });

  it('steps the axis by 1, 2, 2.5 or 5 times a power of ten, in at most four steps', () => {
    expect([0, 7, 13, 180, 2100, 23116].map(niceScale)).toEqual([
      { top: 1, step: 1 },
      { top: 8, step: 2 },
      { top: 15, step: 5 },
      { top: 200, step: 50 },
      { top: 3000, step: 1000 },
      { top: 30000, step: 10000 },
    ]);
  });

  it('draws text into the PNG with the bundled font', () => {
    const chart = trendChart('t', crime);
    const withText = chartPng(chart);
    const withoutText = chartPng(chart.svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''));
    expect(withText.subarray(1, 4).toString()).toBe('PNG');
    expect(withText.equals(withoutText)).toBe(false);
  });
});
