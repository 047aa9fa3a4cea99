/**
 * What Saferplan's Word documents are built from: A4 pages with 2 cm margins, text made safe for
 * Word, paragraphs from what people typed, and tables whose header row repeats on every page.
 */
import {
  HeadingLevel,
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

/** A4 in twips, and 2 cm margins. */
export const A4 = { width: 11906, height: 16838 };
export const MARGIN = 1134;
export const PORTRAIT_TEXT_WIDTH = A4.width - 2 * MARGIN;
export const LANDSCAPE_TEXT_WIDTH = A4.height - 2 * MARGIN;
export const FONT = 'Arial';
export const PAGE_MARGINS = { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN };

/** A heading's style: bold Arial kept with what follows, at its level of Word's outline. */
export const headingStyle = (size: number, before: number, outlineLevel?: number) => ({
  run: { font: FONT, size, bold: true, color: '000000' },
  paragraph: { spacing: { before, after: 120 }, keepNext: true, outlineLevel },
});

type HeadingLevelValue = (typeof HeadingLevel)[keyof typeof HeadingLevel];

// XML 1.0 has no place for these characters, and Word will not open a file with one in it.
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

/** Text fit for the document. Pasted from Word, a vertical tab or form feed was a break. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?|[\v\f]/g, '\n').replace(XML_ILLEGAL, '');
}

/** One paragraph's runs: each line of the text after a line break. */
export function runs(text: string, strong = false): TextRun[] {
  return cleanText(text)
    .split('\n')
    .map((line, i) => {
      // Typed apart: TextRun also takes a string, whose deprecated bold() the linter would see.
      // Bold only when asked: an explicit "not bold" would undo the headings' style.
      const options: IRunOptions = {
        text: line,
        bold: strong || undefined,
        break: i > 0 ? 1 : undefined,
      };
      return new TextRun(options);
    });
}

export function paragraph(
  text: string,
  options: IParagraphOptions = {},
  strong = false,
): Paragraph {
  return new Paragraph({ ...options, children: runs(text, strong) });
}

export const heading = (level: HeadingLevelValue, text: string): Paragraph =>
  paragraph(text, { heading: level });

/** Text someone typed: a blank line starts a new paragraph, a single line break stays one. */
export function paragraphs(text: string): Paragraph[] {
  return cleanText(text)
    .split(/\n[ \t]*\n\s*/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => paragraph(p));
}

/** Column widths in proportion to `parts`, filling `total` exactly. */
export function columnWidths(total: number, parts: number[]): number[] {
  const sum = parts.reduce((a, b) => a + b, 0);
  const out = parts.map((p) => Math.floor((total * p) / sum));
  out[out.length - 1] = (out.at(-1) ?? 0) + total - out.reduce((a, b) => a + b, 0);
  return out;
}

/**
 * A table with its header row repeated on every page it runs onto. Each body cell is its
 * paragraphs. Rows are kept whole on a page unless `splitRows` (for cells of long updates).
 */
export function docxTable(
  widths: number[],
  head: Paragraph[],
  body: Paragraph[][][],
  { splitRows = false }: { splitRows?: boolean } = {},
): Table {
  const cell = (children: Paragraph[], header = false) =>
    new TableCell({
      children: children.length > 0 ? children : [new Paragraph('')],
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
        children: head.map((h) => cell([h], true)),
      }),
      ...body.map(
        (cells) =>
          new TableRow({
            cantSplit: splitRows ? undefined : true,
            children: cells.map((c) => cell(c)),
          }),
      ),
    ],
  });
}
