import { describe, expect, it } from 'vitest';
import {
  failed,
  markdownTable,
  replaceSection,
  resultsTable,
  suiteRows,
  type ScenarioResult,
} from '../bench/report.js';
import { percentile, summariseLatencies } from '../bench/stats.js';

const result = (over: Partial<ScenarioResult> = {}): ScenarioResult => ({
  id: 'home',
  title: 'Home page',
  request: 'GET /',
  expectedStatus: 200,
  ok: 1000,
  unexpected: {},
  errors: 0,
  seconds: 10,
  requestsPerSecond: 100,
  latency: { count: 1000, p50: 10, p95: 20.25, p99: 30, max: 40 },
  peakRssBytes: 200 * 1024 * 1024,
  queries: 12,
  ...over,
});

describe('benchmark percentiles', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank: the value at or above that share of responses', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
  });

  it('sorts the response times first and does not reorder the caller’s list', () => {
    const times = [30, 10, 20, 40, 50, 60, 70, 80, 90, 100].reverse();
    const copy = [...times];
    expect(summariseLatencies(times)).toEqual({ count: 10, p50: 50, p95: 100, p99: 100, max: 100 });
    expect(times).toEqual(copy);
  });

  it('refuses an empty run or a percentile outside 0–100', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('benchmark results in markdown', () => {
  it('writes a table with right-aligned number columns and escaped pipes', () => {
    expect(markdownTable(['Page', 'Requests/s'], [['a | b', '12.5']], [false, true])).toBe(
      ['| Page | Requests/s |', '| --- | ---: |', '| a \\| b | 12.5 |'].join('\n'),
    );
  });

  it('gives each scenario its numbers and its ratio to the bare page', () => {
    const bare = result({ id: 'bare-page', title: 'Bare page', requestsPerSecond: 400 });
    const table = resultsTable([bare, result({ unexpected: { 302: 3 }, errors: 1 })], bare);
    const rows = table.split('\n');
    expect(rows[2]).toContain('| 400.0 |');
    expect(rows[2]).toMatch(/\| 1\.00 \|$/);
    expect(rows[3]).toBe(
      '| Home page | `GET /` | 100.0 | 10.0 | 20.3 | 30.0 | 1000 × 200 | 4 | 200 | 12 | 0.25 |',
    );
    expect(resultsTable([result({ queries: null })]).split('\n')[2]).toContain('| 200 | – | – |');
  });

  it('leads each suite with the bare page its ratios are taken against', () => {
    const bare = result({ id: 'bare-page' });
    const overview = result({ id: 'plan-overview' });
    const action = result({ id: 'plan-action' });
    const all = [bare, result({ id: 'home' }), overview, action];
    expect(suiteRows(['plan-overview', 'plan-action'], all, bare)).toEqual([
      bare,
      overview,
      action,
    ]);
    // A suite that holds the bare page keeps it where the suite lists it, once.
    expect(suiteRows(['home', 'bare-page'], all, bare).map((r) => r.id)).toEqual([
      'home',
      'bare-page',
    ]);
  });

  it('counts a run as failed on any other status, connection error, or no responses', () => {
    expect(failed(result())).toBe(false);
    expect(failed(result({ unexpected: { 403: 1 } }))).toBe(true);
    expect(failed(result({ errors: 1 }))).toBe(true);
    expect(failed(result({ ok: 0 }))).toBe(true);
  });

  it('replaces only its own section and keeps the introduction and other sections', () => {
    const doc = [
      '# Benchmarks',
      '',
      '<!-- bench:platform -->',
      'old platform numbers',
      '<!-- /bench:platform -->',
      '',
      '<!-- bench:plans -->',
      'plan numbers',
      '<!-- /bench:plans -->',
      '',
    ].join('\n');
    const updated = replaceSection(doc, 'platform', 'new platform numbers\n');
    expect(updated).toContain(
      '<!-- bench:platform -->\nnew platform numbers\n<!-- /bench:platform -->',
    );
    expect(updated).not.toContain('old platform numbers');
    expect(updated.startsWith('# Benchmarks\n')).toBe(true);
    expect(updated).toContain('<!-- bench:plans -->\nplan numbers\n<!-- /bench:plans -->');
  });

  it('appends a section it has not written before', () => {
    const updated = replaceSection('# Benchmarks\n', 'reports', 'report timings');
    expect(updated).toBe(
      '# Benchmarks\n\n<!-- bench:reports -->\nreport timings\n<!-- /bench:reports -->\n',
    );
  });
});
