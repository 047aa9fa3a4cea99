/**
 * The funding report as a Word document for committee papers: headings in the outline, real
 * tables with header rows repeated across pages, amounts from the report object only.
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type IParagraphOptions,
  type IRunOptions,
} from 'docx';
import { ukDate } from '../../domain/dates.js';
import { formatMoney } from '../../domain/money.js';
import { fundingReportTitle, type FundingReport } from './funding-report.js';

const TEXT_WIDTH = 11906 - 2 * 1134;
const FONT = 'Arial';

// XML 1.0 has no place for these characters, and Word will not open a file with one in it.
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const clean = (text: string) => text.replace(/\r\n?|[\v\f]/g, '\n').replace(XML_ILLEGAL, '');

function paragraph(text: string, options: IParagraphOptions = {}, strong = false): Paragraph {
  const children = clean(text)
    .split('\n')
    .map((line, i) => {
      const run: IRunOptions = {
        text: line,
        bold: strong || undefined,
        break: i > 0 ? 1 : undefined,
      };
      return new TextRun(run);
    });
  return new Paragraph({ ...options, children });
}

const heading = (level: (typeof HeadingLevel)[keyof typeof HeadingLevel], text: string) =>
  paragraph(text, { heading: level });
const right = (text: string) => paragraph(text, { alignment: AlignmentType.RIGHT });

function table(
  parts: number[],
  head: string[],
  body: Paragraph[][],
  numeric: number[] = [],
): Table {
  const sum = parts.reduce((a, b) => a + b, 0);
  const widths = parts.map((p) => Math.floor((TEXT_WIDTH * p) / sum));
  const cell = (p: Paragraph, header = false) =>
    new TableCell({
      children: [p],
      shading: header ? { type: ShadingType.CLEAR, fill: 'E7E6E6', color: 'auto' } : undefined,
    });
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    margins: { top: 40, bottom: 0, left: 100, right: 100 },
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: head.map((h, i) =>
          cell(
            paragraph(h, numeric.includes(i) ? { alignment: AlignmentType.RIGHT } : {}, true),
            true,
          ),
        ),
      }),
      ...body.map(
        (cells) => new TableRow({ cantSplit: true, children: cells.map((c) => cell(c)) }),
      ),
    ],
  });
}

export async function fundingReportDocx(r: FundingReport): Promise<Buffer> {
  const m = formatMoney;
  const t = r.totals;
  const allocation = [
    heading(HeadingLevel.HEADING_1, 'Allocation'),
    paragraph(
      `The ${r.fund.source} ${r.fund.status === 'confirmed' ? 'granted' : 'has indicated'} ${m(r.allocation.amountPence)} for ${r.fund.year}` +
        (r.fund.status === 'confirmed' && r.fund.confirmedOn
          ? ` (confirmed ${ukDate(r.fund.confirmedOn)}).`
          : ': an indicative amount, not yet confirmed.'),
    ),
    ...(r.allocation.pots.length
      ? [
          table(
            [30, 14, 14, 14, 14, 14],
            ['Pot', 'Allocated', 'Approved', 'Proposed', 'Remaining', 'Spent'],
            [
              ...r.allocation.pots.map((p) => [
                paragraph(
                  p.remainderPence
                    ? `${p.name} (includes ${m(p.remainderPence)} left over from the split)`
                    : p.name,
                ),
                right(m(p.allocatedPence)),
                right(m(p.committedPence)),
                right(m(p.proposedPence)),
                right(m(p.remainingPence)),
                right(m(p.spentPence)),
              ]),
              [
                paragraph('Fund', {}, true),
                right(m(t.grantedPence)),
                right(m(t.committedPence)),
                right(m(t.proposedPence)),
                right(m(t.grantedPence - t.committedPence)),
                right(m(t.spentPence)),
              ],
            ],
            [1, 2, 3, 4, 5],
          ),
        ]
      : []),
    ...(r.fund.priorities.length
      ? [
          paragraph('The funder’s priorities:'),
          ...r.fund.priorities.map((p) => paragraph(p, { bullet: { level: 0 } })),
        ]
      : []),
  ];
  const n = r.proposals;
  const proposals = [
    heading(HeadingLevel.HEADING_1, 'Proposals'),
    paragraph(
      `${n.received} received; ${n.shortlisted} shortlisted; ${n.submittedForApproval} submitted to the chair and the funder for approval: ${n.approved} approved, ${n.pending} pending, ${n.declined} declined, ${n.withdrawn} withdrawn.`,
    ),
  ];
  const projects = [
    heading(HeadingLevel.HEADING_1, 'Projects'),
    r.projects.length
      ? table(
          [30, 20, 14, 12, 12, 12],
          ['Project', 'Lead agency', 'Pot', 'Amount', 'Spent', 'Status'],
          r.projects.map((x) => [
            paragraph(x.title),
            paragraph(x.leadAgency),
            paragraph(x.pot),
            right(m(x.amountPence)),
            right(m(x.spentPence)),
            paragraph(x.stageLabel),
          ]),
          [3, 4],
        )
      : paragraph('No project has been submitted for approval yet.'),
    paragraph('The amount is the one approved, or the one requested while a decision is pending.'),
  ];
  const money = [
    heading(HeadingLevel.HEADING_1, 'Spend and underspend'),
    table(
      [70, 30],
      ['', 'Amount'],
      [
        [paragraph('Granted'), right(m(t.grantedPence))],
        [paragraph('Approved for projects'), right(m(t.committedPence))],
        [paragraph('Spent'), right(m(t.spentPence))],
        t.returnedPence !== null
          ? [
              paragraph(`Returned to the funder at the year end (${ukDate(t.closedOn ?? '')})`),
              right(m(t.returnedPence)),
            ]
          : [paragraph('Not spent so far'), right(m(t.underspendPence))],
      ],
      [1],
    ),
  ];
  const withOutcomes = r.projects.filter((x) => x.outcomes.length > 0);
  const outcomes = [
    heading(HeadingLevel.HEADING_1, 'Outcomes'),
    ...(withOutcomes.length
      ? withOutcomes.flatMap((x) => [
          heading(HeadingLevel.HEADING_2, `${x.title} (${m(x.amountPence)})`),
          ...x.outcomes.flatMap((o) => [
            ...(o.sessionsDelivered !== null
              ? [paragraph(`Sessions delivered: ${o.sessionsDelivered}`, { bullet: { level: 0 } })]
              : []),
            ...o.reach.map((p) =>
              paragraph(`${p.audience}: ${p.people}`, { bullet: { level: 0 } }),
            ),
            ...(o.feedback ? [paragraph(`Feedback: ${o.feedback}`, { bullet: { level: 0 } })] : []),
            ...(o.narrative ? [paragraph(o.narrative)] : []),
          ]),
        ])
      : [paragraph('No outcomes recorded yet.')]),
  ];
  const appendix = [
    heading(HeadingLevel.HEADING_1, 'Appendix: project summaries'),
    ...r.projects.flatMap((x) => [
      heading(HeadingLevel.HEADING_2, `${x.title} (${m(x.amountPence)})`),
      paragraph(`${x.leadAgency} · ${x.pot} · ${x.stageLabel}`),
      ...(x.summary ? [paragraph(x.summary)] : []),
      ...(x.expectedOutcomes ? [paragraph(`Expected outcomes: ${x.expectedOutcomes}`)] : []),
      ...(x.audience || x.reach
        ? [paragraph(`Audience and reach: ${[x.audience, x.reach].filter(Boolean).join(' – ')}`)]
        : []),
    ]),
  ];
  const headingStyle = (size: number, before: number, outlineLevel?: number) => ({
    run: { font: FONT, size, bold: true, color: '000000' },
    paragraph: { spacing: { before, after: 120 }, keepNext: true, outlineLevel },
  });
  const document = new Document({
    creator: 'Saferplan',
    title: clean(fundingReportTitle(r)),
    description: clean(r.partnership.name),
    styles: {
      default: {
        document: { run: { font: FONT, size: 22 }, paragraph: { spacing: { after: 120 } } },
        title: headingStyle(36, 120),
        heading1: headingStyle(32, 360, 0),
        heading2: headingStyle(26, 240, 1),
      },
    },
    numbering: { config: [] },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, right: 1134, bottom: 1134, left: 1134 },
          },
        },
        children: [
          paragraph(r.partnership.name),
          paragraph(fundingReportTitle(r), { heading: HeadingLevel.TITLE }),
          paragraph(`Made ${ukDate(r.generatedAt)} from the fund’s records.`),
          ...allocation,
          ...proposals,
          ...projects,
          ...money,
          ...outcomes,
          ...appendix,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
