// The document is read back with mammoth and as raw XML through jszip, never with the library
// that wrote it, so these tests see what Word and a screen reader would.
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { flaggedReport, sampleReport } from '../../../test/helpers/report-fixture.js';
import { exceptionReportDocx } from './exception-docx.js';
import type { ExceptionReport } from './exception-report.js';

// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;

async function html(docx: Buffer): Promise<string> {
  return (await mammoth.convertToHtml({ buffer: docx })).value;
}

async function part(docx: Buffer, name: string): Promise<string> {
  const file = (await JSZip.loadAsync(docx)).file(name);
  if (!file) throw new Error(`${name} is missing`);
  return file.async('string');
}

const decode = (s: string): string =>
  s
    .replace(/<br \/>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Every table as rows of cell texts; a cell's paragraphs and line breaks become "\n". */
function tables(page: string): string[][][] {
  return [...page.matchAll(/<table>(.*?)<\/table>/gs)].map(([, t = '']) =>
    [...t.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, r = '']) =>
      [...r.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map(([, c = '']) =>
        decode(c.replace(/<\/p><p>/g, '\n')),
      ),
    ),
  );
}

function headings(page: string): string[] {
  return [...page.matchAll(/<h([1-6])>(.*?)<\/h\1>/g)].map(([, n, t = '']) => `h${n} ${decode(t)}`);
}

function draft(report: ExceptionReport): ExceptionReport {
  return { ...report, edition: { status: 'draft', version: null, issuedAt: null, issuedBy: null } };
}

describe('the exception report as a Word document', () => {
  let docx: Buffer;
  let page: string;
  let body: string;
  let found: string[][][];
  beforeAll(async () => {
    docx = await exceptionReportDocx(sampleReport());
    page = await html(docx);
    body = await part(docx, 'word/document.xml');
    found = tables(page);
  });

  it('heads each part and theme with Word’s heading styles, in plan order', async () => {
    expect(headings(page)).toEqual([
      'h1 Introduction',
      'h1 Incomplete figures',
      'h1 Priorities and cross-cutting themes',
      'h2 Priority: Domestic abuse',
      'h3 Indicators',
      'h3 Actions',
      'h3 Comments',
      'h2 Cross-cutting theme: Substance misuse',
      'h3 Indicators',
      'h3 Actions',
      'h3 Comments',
      'h1 Full update',
      'h2 Priority: Domestic abuse',
      'h2 Cross-cutting theme: Substance misuse',
    ]);
    expect(body).toContain('<w:pStyle w:val="Heading1"/>');
    expect(body).toContain('<w:pStyle w:val="Heading2"/>');
    // An outline level on the style puts the headings in the navigation pane.
    const styles = await part(docx, 'word/styles.xml');
    expect(styles).toMatch(/w:styleId="Heading1">.*?<w:outlineLvl w:val="0"\/>.*?<\/w:style>/);
    expect(styles).toMatch(/w:styleId="Heading2">.*?<w:outlineLvl w:val="1"\/>.*?<\/w:style>/);
  });

  it('opens with the header, the edition and the introduction in paragraphs', () => {
    expect(page).toContain('<strong>To: </strong>CSP Executive');
    expect(page).toContain('<strong>Date: </strong>12 October 2022');
    expect(page).toContain('<strong>Subject: </strong>Community safety plan: exception report');
    expect(page).toContain('<strong>By: </strong>Community Safety Manager');
    expect(page).toContain('Exception report: Community Safety Plan 2022/23');
    expect(page).toContain('Version 1, issued 12 October 2022');
    expect(page).toContain(
      '<h1>Introduction</h1><p>This report sets out the figures for the rolling year to August 2022.</p><p>It then gives the full update.</p>',
    );
    expect(page).not.toMatch(/draft/i);
  });

  it('lists the incomplete figures before the themes', () => {
    expect(page).toContain(
      '<h1>Incomplete figures</h1><p>These figures do not cover their whole year, so their change is not worked out:</p><ul><li>MARAC cases: Current rolling year (Sep 21 – end Aug 22) incomplete (10 of 12 months)</li></ul>',
    );
  });

  it('leaves the incomplete figures out when every figure is complete', async () => {
    const page = await html(await exceptionReportDocx({ ...sampleReport(), gaps: [] }));
    expect(page).not.toContain('Incomplete figures');
  });

  it('says under the figures which police.uk months in them look incomplete', async () => {
    expect(page).not.toContain('look incomplete');
    const flagged = await html(await exceptionReportDocx(flaggedReport()));
    expect(flagged).toContain(
      '<p>Domestic abuse incidents counts months that look incomplete in the police.uk data, so its figures may be too low: November 2020 (Kent Police: records fell to half of the months around it); August 2022 (Kent Police: records fell to a third of the months around it).</p>',
    );
  });

  it('compares each indicator under the rolling years’ labels, with its direction', () => {
    expect(found[0]).toEqual([
      [
        'Indicator',
        'Previous rolling year (Sep 20 – end Aug 21)',
        'Current rolling year (Sep 21 – end Aug 22)',
        'Change',
      ],
      [
        'Domestic abuse incidents\nSource: Kent Police',
        '3,300',
        '3,471',
        '5.2% or 171 incident increase (Neutral)',
      ],
      ['Repeat victims per 1,000\nSource: Kent Police', '6', '3', '-50.0% or 3 decrease (Better)'],
      [
        'MARAC cases\nSource: MARAC',
        '120',
        'incomplete (10 of 12 months)',
        'incomplete (10 of 12 months)',
      ],
    ]);
  });

  it('counts the actions of each theme in the three groups', () => {
    expect(found[1]).toEqual([
      ['Complete', 'In Progress', 'Not yet started/Off track'],
      ['1', '1', '1'],
    ]);
  });

  it('gives the commentary in paragraphs, and says when a theme has no indicators or comments', () => {
    expect(page).toContain(
      '<h3>Comments</h3><p>Reports rose as the campaigns ran.</p><p>The pathway review is on hold.</p>',
    );
    expect(page).toContain(
      '<h2>Cross-cutting theme: Substance misuse</h2><h3>Indicators</h3><p>No indicators are linked to this theme.</p>',
    );
    expect(page).toContain('<h3>Comments</h3><p>No commentary.</p>');
  });

  it('gives the full update with milestones beside their timescales, one per line', () => {
    const [abuseUpdate, substanceUpdate] = found.slice(3);
    expect(abuseUpdate?.[0]).toEqual([
      'No.',
      'Action',
      'Desired outcome',
      'Key milestones',
      'Timescales',
      'Lead agency',
      'Updates',
    ]);
    expect(abuseUpdate?.[1]?.[6]).toBe(
      'In progress - Two campaigns ran in July & August; a third is planned <soon>.',
    );
    expect(abuseUpdate?.[3]).toEqual([
      '1.3',
      'Review the referral pathway',
      'Outcome of 1.3',
      'Agree the scope\nReport to the executive',
      'By June 22\nQuarterly',
      'Kent Police\nSwale Community Safety Unit',
      'On hold - Waiting for the county review.',
    ]);
    expect(substanceUpdate?.[1]?.[0]).toBe('2.1');
    expect(substanceUpdate?.[1]?.[6]).toBe('No update yet');
  });

  it('repeats the header row of every table on each page it runs onto', () => {
    const xmlTables = body.split('<w:tbl>').slice(1);
    expect(xmlTables).toHaveLength(5);
    for (const t of xmlTables) {
      const [firstRow = '', ...rest] = t.split('</w:tr>');
      expect(firstRow).toContain('<w:tblHeader/>');
      expect(rest.join('')).not.toContain('<w:tblHeader/>');
    }
  });

  it('puts the full update on A4 landscape pages after the A4 portrait part', () => {
    const sections = [...body.matchAll(/<w:sectPr>.*?<\/w:sectPr>/g)].map(([s]) => s);
    expect(sections).toHaveLength(2);
    expect(sections[0]).toMatch(/<w:pgSz w:w="11906" w:h="16838"( w:orient="portrait")?\/>/);
    expect(sections[1]).toContain('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>');
    const fullUpdate = body.indexOf('Full update');
    expect(fullUpdate).toBeGreaterThan(body.indexOf('<w:sectPr>'));
    expect(fullUpdate).toBeLessThan(body.lastIndexOf('<w:sectPr>'));
  });

  it('fits every table within the margins of its page', () => {
    const grids = [...body.matchAll(/<w:tblGrid>(.*?)<\/w:tblGrid>/g)];
    expect(grids).toHaveLength(5);
    for (const grid of grids) {
      const width = [...(grid[1] ?? '').matchAll(/w:w="(\d+)"/g)].reduce(
        (sum, [, w]) => sum + Number(w),
        0,
      );
      // A section's properties come after its content.
      const section = /<w:sectPr>.*?<\/w:sectPr>/.exec(body.slice(grid.index))?.[0] ?? '';
      const page = Number(/<w:pgSz w:w="(\d+)"/.exec(section)?.[1]);
      const left = Number(/<w:pgMar [^>]*w:left="(\d+)"/.exec(section)?.[1]);
      const right = Number(/<w:pgMar [^>]*w:right="(\d+)"/.exec(section)?.[1]);
      expect(width).toBeGreaterThan(page / 2);
      expect(width).toBeLessThanOrEqual(page - left - right);
    }
  });

  it('writes table text in the document’s normal font, set once in its styles', async () => {
    expect(body).not.toContain('<w:rFonts');
    expect(body).not.toContain('<w:sz ');
    expect(await part(docx, 'word/styles.xml')).toMatch(
      /<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial"/,
    );
  });

  it('numbers the pages in the footer', async () => {
    const footers = (await JSZip.loadAsync(docx)).file(/^word\/footer\d+\.xml$/);
    expect(footers.length).toBeGreaterThan(0);
    for (const f of footers) expect(await f.async('string')).toContain('PAGE');
  });
});

describe('text people typed, in the Word document', () => {
  function typed(): ExceptionReport {
    const report = sampleReport();
    const [abuse] = report.themes;
    if (!abuse?.indicators[0] || !abuse.actions[0]) throw new Error('The sample changed');
    report.header.to = 'CSP\x01 Executive';
    abuse.title = 'Domestic\x08 abuse';
    abuse.commentary = 'Reports rose\x0Bas the campaigns ran.\x01\r\n\r\nA second\x0C paragraph.';
    abuse.indicators[0].name = 'Domestic abuse\x1F incidents';
    abuse.actions[0].updateText = 'In progress - First line\nsecond line\n\nA new paragraph\x00.';
    return report;
  }

  it('drops characters XML forbids, so Word opens the file', async () => {
    const docx = await exceptionReportDocx(typed());
    const zip = await JSZip.loadAsync(docx);
    const parts = zip.file(/\.(xml|rels)$/);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(XML_FORBIDDEN.test(await p.async('string'))).toBe(false);
    const { value, messages } = await mammoth.convertToHtml({ buffer: docx });
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
    expect(value).toContain('<strong>To: </strong>CSP Executive');
    expect(value).toContain('<h2>Priority: Domestic abuse</h2>');
    expect(value).toContain('Domestic abuse incidents');
  });

  it('turns line breaks into breaks and blank lines into paragraphs, never a literal newline', async () => {
    const docx = await exceptionReportDocx(typed());
    const page = await html(docx);
    // A vertical tab is how Word pastes a line break.
    expect(page).toContain(
      '<h3>Comments</h3><p>Reports rose<br />as the campaigns ran.</p><p>A second<br /> paragraph.</p>',
    );
    expect(page).toContain(
      '<td><p>In progress - First line<br />second line</p><p>A new paragraph.</p></td>',
    );
    const texts = [...(await part(docx, 'word/document.xml')).matchAll(/<w:t[ >][^<]*/g)];
    expect(texts.length).toBeGreaterThan(50);
    expect(texts.filter(([t]) => /[\r\n]/.test(t))).toEqual([]);
  });
});

describe('a draft exception report as a Word document', () => {
  it('says it is a draft in its title, its opening, every page’s header and footer, and its properties', async () => {
    const docx = await exceptionReportDocx(draft(sampleReport()));
    const page = await html(docx);
    expect(page).toContain('<p>Draft exception report: Community Safety Plan 2022/23</p>');
    expect(page).toContain(
      '<strong>Draft: not yet issued. Figures and updates may change.</strong>',
    );
    expect(page).not.toContain('Version');
    const zip = await JSZip.loadAsync(docx);
    const headers = zip.file(/^word\/header\d+\.xml$/);
    const footers = zip.file(/^word\/footer\d+\.xml$/);
    expect(headers).toHaveLength(2);
    expect(footers).toHaveLength(2);
    for (const h of headers) expect(await h.async('string')).toContain('DRAFT – not yet issued');
    for (const f of footers) expect(await f.async('string')).toContain('Draft');
    expect(await part(docx, 'docProps/core.xml')).toContain(
      '<dc:title>Draft exception report: Community Safety Plan 2022/23</dc:title>',
    );
  });

  it('treats an unsaved preview as a draft too', async () => {
    const report = sampleReport();
    report.edition = { status: 'unsaved', version: null, issuedAt: null, issuedBy: null };
    expect(await html(await exceptionReportDocx(report))).toContain('Draft exception report');
  });
});
