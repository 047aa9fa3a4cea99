/**
 * The strategic assessment as a Word document fit for committee papers: headings in Word's
 * outline, figures in real tables whose header rows repeat on each page, and the charts as PNG
 * pictures with their descriptions as alt text, each followed by its data table.
 */
import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TextRun,
} from 'docx';
import {
  A4,
  cleanText,
  columnWidths,
  docxTable,
  FONT,
  heading,
  headingStyle,
  PAGE_MARGINS,
  paragraph,
  paragraphs,
  PORTRAIT_TEXT_WIDTH,
} from '../../core/docx-parts.js';
import { ukDate } from '../../domain/dates.js';
import { chartPng, type Chart } from './assessment-charts.js';
import type { Basis, MeasureFigures } from './assessment-figures.js';
import { SECTIONS } from './assessments.schemas.js';
import type { AssessmentDocument } from './assessments.service.js';

const n = (v: number): string => v.toLocaleString('en-GB');

const h1 = (t: string) => heading(HeadingLevel.HEADING_1, t);
const h2 = (t: string) => heading(HeadingLevel.HEADING_2, t);
const small = (t: string) =>
  new Paragraph({ children: [new TextRun({ text: cleanText(t), size: 18, color: '505A5F' })] });

/** A section as written, or a line saying it is not written yet. */
function written(text: string): Paragraph[] {
  const parts = paragraphs(text);
  return parts.length ? parts : [paragraph('Not written yet.')];
}

/** Columns in proportion to `parts`; the `numeric` ones are aligned right, heading included. */
function table(parts: number[], head: string[], body: string[][], numeric: number[] = []): Table {
  const align = (i: number) => (numeric.includes(i) ? { alignment: AlignmentType.RIGHT } : {});
  return docxTable(
    columnWidths(PORTRAIT_TEXT_WIDTH, parts),
    head.map((h, i) => paragraph(h, align(i), true)),
    body.map((cells) => cells.map((c, i) => [paragraph(c, align(i))])),
  );
}

function figure(chart: Chart): Paragraph {
  const width = 600;
  return new Paragraph({
    keepNext: true,
    children: [
      new ImageRun({
        type: 'png',
        data: chartPng(chart),
        transformation: { width, height: Math.round((width * chart.height) / chart.width) },
        altText: {
          name: chart.id,
          title: cleanText(chart.title),
          description: cleanText(chart.description),
        },
      }),
    ],
  });
}

function notes(basis: Basis): Paragraph[] {
  return [
    ...(basis.missing.length
      ? [
          paragraph(
            `Months not loaded: ${basis.missing.map((m) => m.label).join(', ')}. Figures that need them are not given.`,
          ),
        ]
      : []),
    ...basis.flagged.map((m) =>
      paragraph(`Flagged as possibly incomplete: ${m.label} (${m.reason}).`),
    ),
  ];
}

const source = (basis: Basis) => small(`Source: ${basis.source}. Period: ${basis.periodLabel}.`);

function measure(doc: AssessmentDocument, m: MeasureFigures, charts: Record<string, Chart>) {
  const rows: string[][] = [
    ['Level (count)', m.countText],
    [
      'Rate per 1,000 people',
      m.rate
        ? `${m.rate.value} (population ${n(m.rate.population.value)}, mid-${m.rate.population.year}, ${m.rate.population.release})`
        : (m.rateNote ?? ''),
    ],
    [
      `Change on ${m.previous.basis.periodLabel}`,
      `${m.change.text}${m.previous.count !== null ? ` (from ${n(m.previous.count)})` : ''}`,
    ],
    ...m.ranks.districts.map((r, i) => [
      `Rank by rate${m.ranks.districts.length > 1 ? `: ${doc.figures.partnership.districts[i]?.name ?? ''}` : ''}`,
      r.text,
    ]),
    ...(m.ranks.partnerships ? [['Rank among partnerships', m.ranks.partnerships.text]] : []),
    [
      'Rank in the peer group',
      `${m.ranks.peers ? m.ranks.peers.text : doc.peers.length ? 'Not ranked' : 'No peer group chosen'}${m.rankNote ? ` (${m.rankNote})` : ''}`,
    ],
  ];
  const out: (Paragraph | Table)[] = [
    h1(m.label),
    ...notes(m.basis),
    table([2, 3], ['Measure', 'Figure'], rows),
    source(m.basis),
  ];
  if (m.ranks.peers) {
    out.push(
      table(
        [1, 4, 2, 2],
        ['Rank', 'Area', 'Count', 'Rate per 1,000'],
        m.ranks.peers.table.map((r) => [String(r.position), r.name, n(r.count), r.rate]),
        [0, 2, 3],
      ),
    );
  }
  const trend = charts[`${m.measure}-trend`];
  out.push(h2('General trend'));
  if (trend) out.push(figure(trend));
  out.push(
    table(
      [4, 2, 2],
      ['12 months', 'Count', 'Rate per 1,000'],
      m.trend.points.length
        ? m.trend.points.map((p) => [
            `${p.label}${p.flagged.length ? ` (flagged: ${p.flagged.map((f) => f.label).join(', ')})` : ''}`,
            n(p.count),
            p.rate ?? '–',
          ])
        : [['No 12 months are wholly loaded.', '', '']],
      [1, 2],
    ),
  );
  if (m.trend.note) out.push(small(m.trend.note));
  out.push(source(m.trend.basis));
  const months = charts[`${m.measure}-months`];
  out.push(h2('Seasonality'));
  if (months) out.push(figure(months));
  out.push(
    table(
      [3, 2, 4],
      ['Month', 'Count', 'Note'],
      m.seasonality.months.map((s) => [s.label, s.count === null ? '–' : n(s.count), s.note ?? '']),
      [1],
    ),
    source(m.seasonality.basis),
  );
  if (m.types) {
    const types = charts[`${m.measure}-types`];
    out.push(h2('Crime types'));
    if (types) out.push(figure(types));
    out.push(
      table(
        [4, 2, 4],
        ['Crime type', 'Count', 'Change'],
        m.types.rows.map((t) => [
          t.crimeType,
          t.count === null ? 'incomplete' : n(t.count),
          t.change?.text ?? 'not given',
        ]),
        [1],
      ),
      source(m.types.basis),
    );
  }
  out.push(
    h2(`Hotspot wards${m.hotspots.vintage ? ` (${m.hotspots.vintage} wards)` : ''}`),
    table(
      [5, 2, 2],
      ['Ward', 'Count', 'Rate per 1,000'],
      m.hotspots.rows.length
        ? m.hotspots.rows.map((h) => [`${h.name} (${h.code})`, n(h.count), h.rate ?? 'not known'])
        : [['No ward counts for this period.', '', '']],
      [1, 2],
    ),
  );
  if (m.hotspots.note) out.push(small(m.hotspots.note));
  out.push(source(m.hotspots.basis));
  return out;
}

export async function assessmentDocx(
  doc: AssessmentDocument,
  charts: Chart[],
  typeLabels: Record<string, string>,
): Promise<Buffer> {
  const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
  const f = doc.figures;
  const body: (Paragraph | Table)[] = [
    heading(HeadingLevel.TITLE, doc.title),
    paragraph(
      `${doc.partnership.name}. ${f.periodLabel}.${doc.record ? ` Draft, last changed ${ukDate(doc.record.updatedAt)}.` : ' Figures only: no assessment has been written for this period.'}`,
    ),
    h1(SECTIONS.introduction.title),
    ...written(doc.sections.introduction),
    ...(f.notes.length
      ? [
          paragraph(
            `Some months are missing or flagged as possibly incomplete: ${f.notes.map((x) => `${x.label} (${x.reason})`).join('; ')}.`,
            {},
            true,
          ),
        ]
      : []),
    ...measure(doc, f.measures.crime, byId),
    ...measure(doc, f.measures.asb, byId),
    h1('What partners did, priority by priority'),
    ...(doc.overviews.length
      ? doc.overviews.flatMap((o) => [
          h2(`${typeLabels[o.type] ?? o.type}: ${o.title}`),
          ...written(o.text),
        ])
      : [paragraph('The partnership has no plan with priorities yet.')]),
    h1(SECTIONS.progress.title),
    ...written(doc.sections.progress),
    h1(SECTIONS['plan-review'].title),
    ...written(doc.sections['plan-review']),
    h1(SECTIONS['data-sources'].title),
    ...(doc.sections['data-sources']
      ? written(doc.sections['data-sources'])
      : f.sources.map((s) => paragraph(s))),
    h1(SECTIONS.glossary.title),
    ...written(doc.sections.glossary),
  ];
  const document = new Document({
    creator: 'Saferplan',
    title: cleanText(doc.title),
    description: cleanText(`${doc.partnership.name}: strategic assessment, ${f.periodLabel}`),
    styles: {
      default: {
        document: { run: { font: FONT, size: 22 }, paragraph: { spacing: { after: 120 } } },
        title: headingStyle(36, 120),
        heading1: headingStyle(32, 360, 0),
        heading2: headingStyle(26, 240, 1),
        heading3: headingStyle(24, 200, 2),
      },
    },
    sections: [
      {
        properties: {
          page: { size: A4, margin: PAGE_MARGINS },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ text: `${cleanText(doc.title)} – page `, size: 18 }),
                  new TextRun({ children: [PageNumber.CURRENT], size: 18 }),
                ],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(document);
}
