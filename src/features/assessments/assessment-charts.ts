/**
 * The assessment's charts as plain SVG, drawn on the server: a trend line, columns by month and
 * bars by crime type. Each has a title and a text description, and is drawn in black, grey and
 * white with every value written on it, so it reads the same in greyscale and on paper; the page
 * puts its data table beside it. For Word, the same SVG becomes a PNG with a bundled font.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { MeasureFigures } from './assessment-figures.js';

export interface Chart {
  id: string;
  title: string;
  /** What the chart shows, in words: its alt text. */
  description: string;
  svg: string;
  width: number;
  height: number;
}

const WIDTH = 640;
const HEIGHT = 320;
const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
const INK = '#0b0c0c';
const GREY = '#505a5f';
const LIGHT = '#b1b4b6';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const grouped = (n: number): string => n.toLocaleString('en-GB');

/**
 * The value axis: a round step (1, 2, 2.5 or 5 times a power of ten) giving at most four
 * intervals, and the first multiple of it at or above `max`.
 */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((s) => s * power >= rough) ?? 10) * power;
  return { top: Math.ceil(max / step) * step, step };
}

function frame(id: string, title: string, description: string, body: string): Chart {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `font-family="${FONT}" font-size="12">` +
    `<title id="${id}-title">${esc(title)}</title>` +
    `<desc id="${id}-desc">${esc(description)}</desc>` +
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>` +
    `<text x="10" y="20" font-size="14" font-weight="bold" fill="${INK}">${esc(title)}</text>` +
    body +
    '</svg>';
  return { id, title, description, svg, width: WIDTH, height: HEIGHT };
}

/** Horizontal grid lines with their values, for a plot area from `top` to `bottom`. */
function axis(
  left: number,
  right: number,
  top: number,
  bottom: number,
  scale: { top: number; step: number },
): string {
  let out = '';
  for (let value = 0; value <= scale.top + scale.step / 2; value += scale.step) {
    const y = bottom - ((bottom - top) * value) / scale.top;
    out +=
      `<line x1="${left}" y1="${y.toFixed(1)}" x2="${right}" y2="${y.toFixed(1)}" stroke="${value === 0 ? INK : LIGHT}" stroke-width="1"/>` +
      `<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="${GREY}">${grouped(value)}</text>`;
  }
  return out;
}

/** "2021/22" for 12 months across a year end, "2021" for a calendar year. */
const yearLabel = (w: { from: string; to: string }): string =>
  w.from.slice(0, 4) === w.to.slice(0, 4)
    ? w.from.slice(0, 4)
    : `${w.from.slice(0, 4)}/${w.to.slice(2, 4)}`;

/** The 12-month totals over up to five years, as a line with each total written by its point. */
export function trendChart(id: string, m: MeasureFigures): Chart {
  const points = m.trend.points;
  const title = `${m.label}: 12-month totals`;
  const description = points.length
    ? `Line chart of ${m.label.toLowerCase()} in each 12-month period: ` +
      points.map((p) => `${p.label}, ${grouped(p.count)}`).join('; ') +
      '.'
    : `No 12-month period is wholly loaded, so there is no trend of ${m.label.toLowerCase()}.`;
  const left = 70;
  const right = WIDTH - 30;
  const top = 40;
  const bottom = HEIGHT - 60;
  const scale = niceScale(Math.max(0, ...points.map((p) => p.count)));
  // Each period where its year falls, so a year left out shows as a gap.
  const first = Number(points[0]?.window.from.slice(0, 4) ?? 0);
  const span = Math.max(1, Number(points.at(-1)?.window.from.slice(0, 4) ?? 0) - first);
  const offset = (i: number) => Number(points[i]?.window.from.slice(0, 4) ?? first) - first;
  const x = (i: number) =>
    points.length === 1 ? (left + right) / 2 : left + 40 + ((right - left - 80) * offset(i)) / span;
  const y = (v: number) => bottom - ((bottom - top) * v) / scale.top;
  let body = axis(left, right, top, bottom, scale);
  const gapLabel = (year: number) =>
    yearLabel({
      from: `${year}`,
      to: `${points[0] && yearLabel(points[0].window).includes('/') ? year + 1 : year}`,
    });
  // The line joins consecutive years only: a year left out is a break, not a straight line.
  let run: number[] = [];
  const drawRun = () => {
    if (run.length > 1) {
      body += `<polyline fill="none" stroke="${INK}" stroke-width="2" points="${run
        .map((i) => `${x(i).toFixed(1)},${y(points[i]?.count ?? 0).toFixed(1)}`)
        .join(' ')}"/>`;
    }
  };
  points.forEach((_, i) => {
    if (i > 0 && offset(i) !== offset(i - 1) + 1) {
      drawRun();
      run = [];
      for (let year = first + offset(i - 1) + 1; year < first + offset(i); year++) {
        const gx = left + 40 + ((right - left - 80) * (year - first)) / span;
        body += `<text x="${gx.toFixed(1)}" y="${bottom + 18}" text-anchor="middle" fill="${GREY}" font-size="10">${esc(gapLabel(year))}: not loaded</text>`;
      }
    }
    run.push(i);
  });
  drawRun();
  points.forEach((p, i) => {
    const flagged = p.flagged.length > 0;
    body +=
      `<circle cx="${x(i).toFixed(1)}" cy="${y(p.count).toFixed(1)}" r="5" fill="${flagged ? '#ffffff' : INK}" stroke="${INK}" stroke-width="2"/>` +
      `<text x="${x(i).toFixed(1)}" y="${(y(p.count) - 10).toFixed(1)}" text-anchor="middle" fill="${INK}">${grouped(p.count)}${flagged ? '*' : ''}</text>` +
      `<text x="${x(i).toFixed(1)}" y="${bottom + 18}" text-anchor="middle" fill="${INK}">${esc(yearLabel(p.window))}</text>`;
  });
  if (points.some((p) => p.flagged.length)) {
    body += `<text x="${left}" y="${HEIGHT - 12}" fill="${GREY}">* includes a month flagged as possibly incomplete (open circle)</text>`;
  }
  return frame(id, title, description, body);
}

const SHORT_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** The period's months as columns; a month not loaded is an outlined gap saying so. */
export function seasonalityChart(id: string, m: MeasureFigures): Chart {
  const months = m.seasonality.months;
  const title = `${m.label} by month`;
  const description =
    `Column chart of ${m.label.toLowerCase()} in each month of ${m.basis.periodLabel}: ` +
    months
      .map(
        (s) =>
          `${s.label}, ${s.count === null ? 'not loaded' : grouped(s.count)}${s.count !== null && s.note ? ' (flagged as possibly incomplete)' : ''}`,
      )
      .join('; ') +
    '.';
  const left = 70;
  const right = WIDTH - 20;
  const top = 40;
  const bottom = HEIGHT - 60;
  const scale = niceScale(Math.max(0, ...months.map((s) => s.count ?? 0)));
  const max = scale.top;
  const slot = (right - left) / Math.max(1, months.length);
  let body = axis(left, right, top, bottom, scale);
  months.forEach((s, i) => {
    const x = left + slot * i + slot * 0.15;
    const w = slot * 0.7;
    const label = SHORT_MONTHS[Number(s.month.slice(5, 7)) - 1] ?? s.month;
    if (s.count === null) {
      body +=
        `<rect x="${x.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${bottom - top}" fill="none" stroke="${GREY}" stroke-dasharray="4 3"/>` +
        `<text x="${(x + w / 2).toFixed(1)}" y="${(bottom - 8).toFixed(1)}" text-anchor="middle" fill="${INK}" font-size="10">none</text>`;
    } else {
      const h = ((bottom - top) * s.count) / max;
      const flagged = s.note !== null;
      body +=
        `<rect x="${x.toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${flagged ? '#ffffff' : GREY}" stroke="${INK}" stroke-width="1"${flagged ? ' stroke-dasharray="3 2"' : ''}/>` +
        `<text x="${(x + w / 2).toFixed(1)}" y="${(bottom - h - 4).toFixed(1)}" text-anchor="middle" fill="${INK}" font-size="10">${grouped(s.count)}${flagged ? '*' : ''}</text>`;
    }
    body += `<text x="${(x + w / 2).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="${INK}">${label}</text>`;
    if (i === 0 || label === 'Jan') {
      body += `<text x="${(x + w / 2).toFixed(1)}" y="${bottom + 30}" text-anchor="middle" fill="${GREY}" font-size="10">${s.month.slice(0, 4)}</text>`;
    }
  });
  const notes = [
    months.some((s) => s.count !== null && s.note)
      ? '* flagged as possibly incomplete (white column)'
      : '',
    months.some((s) => s.count === null) ? 'dashed outline: month not loaded' : '',
  ].filter(Boolean);
  if (notes.length) {
    body += `<text x="${left}" y="${HEIGHT - 10}" fill="${GREY}">${esc(notes.join('; '))}</text>`;
  }
  return frame(id, title, description, body);
}

/** Crime types as horizontal bars, largest first, each with its count. */
export function typesChart(id: string, m: MeasureFigures): Chart | null {
  const rows = m.types?.rows.filter((r) => r.count !== null) ?? [];
  if (!m.types) return null;
  const title = `${m.label} by crime type`;
  const description = rows.length
    ? `Bar chart of ${m.label.toLowerCase()} by police.uk crime type in ${m.basis.periodLabel}, largest first: ` +
      rows.map((r) => `${r.crimeType}, ${grouped(r.count ?? 0)}`).join('; ') +
      '.'
    : `No breakdown by crime type: ${m.basis.periodLabel} is not wholly loaded.`;
  const left = 230;
  const right = WIDTH - 70;
  const top = 36;
  const rowHeight = Math.min(22, (HEIGHT - top - 10) / Math.max(1, rows.length));
  const max = niceScale(Math.max(0, ...rows.map((r) => r.count ?? 0))).top;
  let body = '';
  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    const w = ((right - left) * (r.count ?? 0)) / max;
    body +=
      `<text x="${left - 6}" y="${(y + rowHeight * 0.7).toFixed(1)}" text-anchor="end" fill="${INK}" font-size="11">${esc(r.crimeType)}</text>` +
      `<rect x="${left}" y="${(y + 2).toFixed(1)}" width="${w.toFixed(1)}" height="${(rowHeight - 5).toFixed(1)}" fill="${GREY}" stroke="${INK}" stroke-width="1"/>` +
      `<text x="${(left + w + 4).toFixed(1)}" y="${(y + rowHeight * 0.7).toFixed(1)}" fill="${INK}" font-size="11">${grouped(r.count ?? 0)}</text>`;
  });
  body += `<line x1="${left}" y1="${top}" x2="${left}" y2="${(top + rows.length * rowHeight).toFixed(1)}" stroke="${INK}"/>`;
  return frame(id, title, description, body);
}

/** Every chart of a measure, in the order the document shows them. */
export function chartsOf(m: MeasureFigures): Chart[] {
  const charts = [
    trendChart(`${m.measure}-trend`, m),
    seasonalityChart(`${m.measure}-months`, m),
    typesChart(`${m.measure}-types`, m),
  ];
  return charts.filter((c) => c !== null);
}

const require = createRequire(import.meta.url);
const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** The chart as a PNG at twice its size, drawn with the bundled font (never the machine's). */
export function chartPng(chart: Chart | string): Buffer {
  const svg = typeof chart === 'string' ? chart : chart.svg;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
