/**
 * The exception report as a Word document a partnership can put in its committee papers as it
 * is: a portrait part with the header, introduction and each theme's figures, action counts and
 * comments, then the full update on landscape pages. It reads the report object only, so an
 * issued report renders from the copy kept when it was issued.
 */
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  SectionType,
  Table,
  TextRun,
  type ISectionOptions,
} from 'docx';
import {
  A4,
  cleanText,
  columnWidths,
  docxTable,
  FONT,
  heading,
  LANDSCAPE_TEXT_WIDTH,
  headingStyle,
  PAGE_MARGINS,
  paragraph,
  paragraphs,
  PORTRAIT_TEXT_WIDTH,
  runs,
} from '../../core/docx-parts.js';
import { ukDate } from '../../domain/dates.js';
import { longWindowLabel, monthLabel } from '../../domain/periods.js';
import { REPORT_GROUP_LABELS, REPORT_GROUPS } from '../../domain/statuses.js';
import { THEME_TYPE_LABELS } from '../plans/plans.schemas.js';
import { editionText, isDraft, reportTitle } from './exception-edition.js';
import {
  flaggedText,
  FULL_UPDATE_COLUMNS,
  type ExceptionReport,
  type ReportAction,
  type ReportTheme,
} from './exception-report.js';

// Rows of the full update may run over a page: an update can be longer than one.
const table = (widths: number[], head: string[], body: Paragraph[][][]): Table =>
  docxTable(
    widths,
    head.map((h) => paragraph(h, {}, true)),
    body,
    { splitRows: true },
  );

const themeHeading = (theme: ReportTheme) =>
  heading(HeadingLevel.HEADING_2, `${THEME_TYPE_LABELS[theme.type]}: ${theme.title}`);

function indicatorTable(report: ExceptionReport, theme: ReportTheme): Table {
  return table(
    columnWidths(PORTRAIT_TEXT_WIDTH, [30, 20, 20, 30]),
    ['Indicator', report.labels.previous, report.labels.current, report.labels.change],
    theme.indicators.map((i) => [
      [paragraph(i.name), paragraph(`Source: ${i.source}`)],
      [paragraph(i.previousText)],
      [paragraph(i.currentText)],
      [paragraph(i.directionLabel === null ? i.text : `${i.text} (${i.directionLabel})`)],
    ]),
  );
}

function actionCountTable(theme: ReportTheme): Table {
  return table(
    columnWidths(PORTRAIT_TEXT_WIDTH, [1, 1, 1]),
    REPORT_GROUPS.map((g) => REPORT_GROUP_LABELS[g]),
    [REPORT_GROUPS.map((g) => [paragraph(String(theme.actionCounts[g]))])],
  );
}

function themeSummary(report: ExceptionReport, theme: ReportTheme): (Paragraph | Table)[] {
  const comments = paragraphs(theme.commentary);
  return [
    themeHeading(theme),
    heading(HeadingLevel.HEADING_3, 'Indicators'),
    ...(theme.indicators.length > 0
      ? [
          indicatorTable(report, theme),
          ...theme.indicators.flatMap((i) => {
            const flagged = flaggedText(i);
            return flagged === null ? [] : [paragraph(flagged)];
          }),
        ]
      : [paragraph('No indicators are linked to this theme.')]),
    heading(HeadingLevel.HEADING_3, 'Actions'),
    actionCountTable(theme),
    heading(HeadingLevel.HEADING_3, 'Comments'),
    ...(comments.length > 0 ? comments : [paragraph('No commentary.')]),
  ];
}

function actionRow(a: ReportAction): Paragraph[][] {
  return [
    [paragraph(a.number)],
    paragraphs(a.title),
    paragraphs(a.desiredOutcome),
    // One paragraph per milestone and per timescale, so each timescale sits beside its milestone.
    a.milestones.map((m) => paragraph(m.text)),
    a.milestones.map((m) => paragraph(m.timescale)),
    a.leads.map((l) => paragraph(l)),
    paragraphs(a.updateText),
  ];
}

function fullUpdate(report: ExceptionReport): (Paragraph | Table)[] {
  const columns = [...FULL_UPDATE_COLUMNS];
  return [
    heading(HeadingLevel.HEADING_1, 'Full update'),
    paragraph(
      `Each action with its latest update posted up to ${monthLabel(report.updatesUpTo)}, status first.`,
    ),
    ...report.themes.flatMap((theme) => [
      themeHeading(theme),
      theme.actions.length > 0
        ? table(
            columnWidths(LANDSCAPE_TEXT_WIDTH, [5, 15, 15, 17, 10, 12, 26]),
            columns,
            theme.actions.map(actionRow),
          )
        : paragraph('This theme has no actions.'),
    ]),
  ];
}

function opening(report: ExceptionReport): (Paragraph | Table)[] {
  const { header } = report;
  const label = (name: string, value: string) =>
    new Paragraph({ children: [...runs(`${name}: `, true), ...runs(value)] });
  const introduction = paragraphs(report.introduction);
  return [
    paragraph(report.partnership.name),
    paragraph(reportTitle(report), { heading: HeadingLevel.TITLE }),
    paragraph(editionText(report), {}, isDraft(report)),
    label('To', header.to),
    label('Date', ukDate(header.date)),
    label('Subject', header.subject),
    label('By', header.by),
    paragraph(
      `Figures for the rolling year ${longWindowLabel(report.currentWindow)}, compared with ` +
        `the year before. Updates are the latest posted up to ${monthLabel(report.updatesUpTo)}.`,
    ),
    ...(introduction.length > 0
      ? [heading(HeadingLevel.HEADING_1, 'Introduction'), ...introduction]
      : []),
    ...(report.gaps.length > 0
      ? [
          heading(HeadingLevel.HEADING_1, 'Incomplete figures'),
          paragraph(
            'These figures do not cover their whole year, so their change is not worked out:',
          ),
          ...report.gaps.map((g) => paragraph(g, { bullet: { level: 0 } })),
        ]
      : []),
  ];
}

function pageHeader(report: ExceptionReport): Header {
  const text = isDraft(report)
    ? `DRAFT – not yet issued · ${report.partnership.name}`
    : report.partnership.name;
  return new Header({
    children: [
      paragraph(text, { style: 'Header', alignment: AlignmentType.RIGHT }, isDraft(report)),
    ],
  });
}

function pageFooter(report: ExceptionReport): Footer {
  const edition = isDraft(report) ? 'Draft' : editionText(report);
  return new Footer({
    children: [
      new Paragraph({
        style: 'Footer',
        children: [
          ...runs(`${reportTitle(report)} · ${edition} · `),
          new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] }),
        ],
      }),
    ],
  });
}

function section(
  report: ExceptionReport,
  orientation: (typeof PageOrientation)[keyof typeof PageOrientation],
  children: (Paragraph | Table)[],
): ISectionOptions {
  return {
    properties: {
      type: SectionType.NEXT_PAGE,
      // docx swaps width and height itself for a landscape page.
      page: {
        size: { ...A4, orientation },
        margin: PAGE_MARGINS,
      },
    },
    headers: { default: pageHeader(report) },
    footers: { default: pageFooter(report) },
    children,
  };
}

export async function exceptionReportDocx(report: ExceptionReport): Promise<Buffer> {
  // The outline level puts each heading in Word's navigation pane whatever it makes of the name.
  const document = new Document({
    creator: 'Saferplan',
    title: cleanText(reportTitle(report)),
    subject: cleanText(report.header.subject),
    description: cleanText(`${report.partnership.name}: ${editionText(report)}`),
    styles: {
      default: {
        document: { run: { font: FONT, size: 22 }, paragraph: { spacing: { after: 120 } } },
        title: headingStyle(36, 120),
        heading1: headingStyle(32, 360, 0),
        heading2: headingStyle(28, 280, 1),
        heading3: headingStyle(24, 200, 2),
      },
      // Word's own header and footer styles, smaller so a footer keeps to one line.
      paragraphStyles: ['Header', 'Footer'].map((id) => ({
        id,
        name: id.toLowerCase(),
        basedOn: 'Normal',
        run: { size: 18 },
        paragraph: { spacing: { after: 0 } },
      })),
    },
    sections: [
      section(report, PageOrientation.PORTRAIT, [
        ...opening(report),
        heading(HeadingLevel.HEADING_1, 'Priorities and cross-cutting themes'),
        ...report.themes.flatMap((t) => themeSummary(report, t)),
      ]),
      section(report, PageOrientation.LANDSCAPE, fullUpdate(report)),
    ],
  });
  return Packer.toBuffer(document);
}
