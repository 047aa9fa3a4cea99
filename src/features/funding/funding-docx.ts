/**
 * The funding report as a Word document for committee papers: headings in the outline, real
 * tables with header rows repeated across pages, amounts from the report object only.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table } from 'docx';
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
  PORTRAIT_TEXT_WIDTH,
} from '../../core/docx-parts.js';
import { ukDate } from '../../domain/dates.js';
import { formatMoney } from '../../domain/money.js';
import { fundingReportTitle, type FundingReport } from './funding-report.js';

const right = (text: string) => paragraph(text, { alignment: AlignmentType.RIGHT });

/** Columns in proportion to `parts`; the `numeric` ones are aligned right, heading included. */
function table(
  parts: number[],
  head: string[],
  body: Paragraph[][],
  numeric: number[] = [],
): Table {
  return docxTable(
    columnWidths(PORTRAIT_TEXT_WIDTH, parts),
    head.map((h, i) =>
      paragraph(h, numeric.includes(i) ? { alignment: AlignmentType.RIGHT } : {}, true),
    ),
    body.map((cells) => cells.map((c) => [c])),
  );
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
  const document = new Document({
    creator: 'Saferplan',
    title: cleanText(fundingReportTitle(r)),
    description: cleanText(r.partnership.name),
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
          page: { size: A4, margin: PAGE_MARGINS },
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
