import { parse } from 'csv-parse/sync';
import { FileError, type FileProblem } from '../../core/grid-file.js';

/**
 * ONS lookup files as published on the Open Geography Portal. Column names carry the vintage
 * ("LSOA21CD", "WD23CD", "LTLA22CD") and their order differs between files, so columns are
 * found by pattern, and the layout by which columns are there.
 */

export type AreaType = 'lsoa' | 'ward' | 'district' | 'csp' | 'pfa' | 'county' | 'region';
export type LinkType = 'csp' | 'pfa' | 'county' | 'region';

export interface LookupArea {
  code: string;
  vintage: string;
  type: AreaType;
  name: string;
}
export interface LookupLsoaWard {
  lsoa_code: string;
  lsoa_vintage: string;
  ward_code: string;
  ward_vintage: string;
  district_code: string;
}
export interface LookupLink {
  district_code: string;
  vintage: string;
  parent_type: LinkType;
  parent_code: string;
}

export interface LookupFile {
  /** What the file holds, as shown to people: "LSOA (2021) to ward (2023) to district (2023)". */
  title: string;
  rows: number;
  areas: LookupArea[];
  lsoaWards: LookupLsoaWard[];
  links: LookupLink[];
  /** Districts the file covers (for an LSOA lookup, those whose rows it replaces). */
  districts: string[];
}

// Column prefixes by the area type they name; LTLA and UTLA are the names in some files for
// districts and upper-tier (county or unitary) authorities.
const PREFIXES: Record<string, AreaType> = {
  LSOA: 'lsoa',
  WD: 'ward',
  LAD: 'district',
  LTLA: 'district',
  CSP: 'csp',
  PFA: 'pfa',
  UTLA: 'county',
  CTY: 'county',
  RGN: 'region',
};

const LABELS: Record<AreaType, string> = {
  lsoa: 'LSOA',
  ward: 'ward',
  district: 'district',
  csp: 'community safety partnership',
  pfa: 'police force area',
  county: 'county',
  region: 'region',
};

const GSS_CODE = /^[EWSNKLM]\d{8}$/;

export const lookupMessages = {
  unknownLayout: (found: string[]) =>
    'The file is not an ONS lookup this service reads. It needs code columns like LSOA21CD, WD23CD and LAD23CD (LSOA to ward to district), LAD23CD, CSP23CD and PFA23CD (district to partnership and force area), LTLA23CD and UTLA23CD (district to county), or LAD23CD and RGN23CD (district to region). ' +
    (found.length ? `Code columns found: ${found.join(', ')}` : 'No code columns were found'),
  empty: 'The file has no rows under its header',
  notUtf8: 'The file must be a CSV saved as UTF-8, as ONS publishes it',
  unreadable: 'The CSV file could not be read: check that quoted cells have a closing quote',
  badCode: (column: string, value: string) =>
    value === ''
      ? `${column} is blank: every row needs an area code`
      : `${column} “${value}” is not an ONS area code (9 characters, like E07000113)`,
  missingName: (column: string) => `${column} is blank: every area needs a name`,
  tooManyProblems: 'More than 20 rows have problems; the first 20 are listed',
};

interface Column {
  type: AreaType;
  vintage: string;
  code: number;
  name: number;
  header: string;
  nameHeader: string;
}

/** The code columns of a header, with the name column beside each where there is one. */
function columnsOf(header: string[]): Column[] {
  const columns: Column[] = [];
  header.forEach((h, i) => {
    const [, prefix = '', year = ''] = /^([A-Z]+?)(\d{2})CD$/i.exec(h.trim()) ?? [];
    const type = PREFIXES[prefix.toUpperCase()];
    if (!type) return;
    const stem = h.trim().slice(0, -2);
    const name = header.findIndex((n) => n.trim().toUpperCase() === `${stem}NM`.toUpperCase());
    columns.push({
      type,
      vintage: `20${year}`,
      code: i,
      name,
      header: h.trim(),
      nameHeader: name < 0 ? '' : (header[name] ?? '').trim(),
    });
  });
  return columns;
}

function readCsv(buffer: Buffer): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new FileError([{ message: lookupMessages.notUtf8 }]);
  }
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (e) {
    const { records } = e as { records?: number };
    throw new FileError([
      {
        ...(records === undefined ? {} : { row: records + 1 }),
        message: lookupMessages.unreadable,
      },
    ]);
  }
}

const title = (c: Column) => `${LABELS[c.type]} (${c.vintage})`;

/** Reads one ONS lookup file; every bad row is listed with its row number and column. */
export function readLookupFile(buffer: Buffer): LookupFile {
  const [header = [], ...records] = readCsv(buffer);
  const columns = columnsOf(header);
  const find = (type: AreaType) => columns.find((c) => c.type === type);
  const lsoa = find('lsoa');
  const ward = find('ward');
  const district = find('district');
  const county = find('county');
  const region = find('region');
  const csp = find('csp');
  const pfa = find('pfa');
  if (!district || !(lsoa ? ward : ward || csp || county || region)) {
    throw new FileError([{ message: lookupMessages.unknownLayout(columns.map((c) => c.header)) }]);
  }
  if (!records.length) throw new FileError([{ message: lookupMessages.empty }]);

  const used = [lsoa, ward, district, csp, pfa, county, region].filter((c) => c !== undefined);
  const problems: FileProblem[] = [];
  const areas = new Map<string, LookupArea>();
  const lsoaWards: LookupLsoaWard[] = [];
  const links: LookupLink[] = [];
  const districts = new Set<string>();

  records.forEach((record, i) => {
    const row = i + 2;
    const cell = (index: number) => (record[index] ?? '').trim();
    const codes = new Map<AreaType, string>();
    for (const c of used) {
      const code = cell(c.code);
      // Unitary authorities have no county in the ward lookup; a blank county is no county.
      if (code === '' && c.type === 'county') continue;
      if (!GSS_CODE.test(code)) {
        problems.push({ row, column: c.header, message: lookupMessages.badCode(c.header, code) });
        continue;
      }
      const name = c.name < 0 ? '' : cell(c.name);
      if (c.name >= 0 && !name) {
        problems.push({
          row,
          column: c.nameHeader,
          message: lookupMessages.missingName(c.nameHeader),
        });
        continue;
      }
      codes.set(c.type, code);
      if (name) areas.set(`${code} ${c.vintage}`, { code, vintage: c.vintage, type: c.type, name });
    }
    const districtCode = codes.get('district');
    if (!districtCode) return;
    districts.add(districtCode);
    const lsoaCode = codes.get('lsoa');
    const wardCode = codes.get('ward');
    if (lsoa && ward && lsoaCode && wardCode) {
      lsoaWards.push({
        lsoa_code: lsoaCode,
        lsoa_vintage: lsoa.vintage,
        ward_code: wardCode,
        ward_vintage: ward.vintage,
        district_code: districtCode,
      });
    }
    for (const parent of [csp, pfa, county, region]) {
      const code = parent && codes.get(parent.type);
      // A unitary authority is its own upper tier: that is not a county above it.
      if (!parent || !code || code === districtCode) continue;
      links.push({
        district_code: districtCode,
        vintage: district.vintage,
        parent_type: parent.type as LinkType,
        parent_code: code,
      });
    }
  });
  if (problems.length) {
    throw new FileError(
      problems.length > 20
        ? [...problems.slice(0, 20), { message: lookupMessages.tooManyProblems }]
        : problems,
    );
  }
  const chain = (lsoa ? [lsoa, ward, district] : [ward, district, csp, pfa, county, region]).filter(
    (c) => c !== undefined,
  );
  return {
    title: chain
      .map(title)
      .join(' to ')
      .replace(/^./, (c) => c.toUpperCase()),
    rows: records.length,
    areas: [...areas.values()],
    lsoaWards: dedupe(lsoaWards, (r) => `${r.lsoa_code} ${r.ward_vintage}`),
    links: dedupe(links, (l) => `${l.district_code} ${l.vintage} ${l.parent_type}`),
    districts: [...districts].sort(),
  };
}

// A ward lookup repeats its district's links on every ward's row.
function dedupe<T>(rows: T[], key: (r: T) => string): T[] {
  return [...new Map(rows.map((r) => [key(r), r])).values()];
}
