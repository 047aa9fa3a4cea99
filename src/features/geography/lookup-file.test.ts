import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../core/grid-file.js';
import { LOOKUP_FILES, lookupFile } from '../../../test/helpers/public-data.js';
import { readLookupFile } from './lookup-file.js';

const read = (name: string) => readLookupFile(lookupFile(name).content);

function problemsOf(text: string): string[] {
  try {
    readLookupFile(Buffer.from(text));
  } catch (err) {
    if (err instanceof FileError) return err.message.split('\n');
    throw err;
  }
  throw new Error('the file was accepted');
}

describe('reading ONS lookup files as published', () => {
  it('reads LSOA 2011 codes to 2021 wards and districts, byte order mark and all', () => {
    const file = read(LOOKUP_FILES.lsoa11);
    expect(file.title).toBe('LSOA (2011) to ward (2021) to district (2021)');
    const swale = file.lsoaWards.filter((r) => r.district_code === 'E07000113');
    expect(swale).toHaveLength(85);
    expect(new Set(swale.map((r) => r.ward_code)).size).toBe(24);
    expect(swale.every((r) => r.lsoa_vintage === '2011' && r.ward_vintage === '2021')).toBe(true);
    expect(file.areas).toContainEqual({
      code: 'E06000035',
      vintage: '2021',
      type: 'district',
      name: 'Medway',
    });
  });

  it('reads 2021 LSOAs against both ward sets, whose columns come in different orders', () => {
    const wd23 = read(LOOKUP_FILES.lsoa21wd23);
    const wd22 = read(LOOKUP_FILES.lsoa21wd22);
    const medway = (rows: typeof wd23.lsoaWards) =>
      new Set(rows.filter((r) => r.district_code === 'E06000035').map((r) => r.ward_code)).size;
    // Medway's wards changed in May 2023: 22 became 24.
    expect(medway(wd22.lsoaWards)).toBe(22);
    expect(medway(wd23.lsoaWards)).toBe(24);
    expect(wd23.areas).toContainEqual({
      code: 'E05014465',
      vintage: '2023',
      type: 'ward',
      name: 'Rochester West & Borstal',
    });
    // Every row of the file, independently counted.
    const text = lookupFile(LOOKUP_FILES.lsoa21wd22).content.toString('utf8');
    const rows: Record<string, string>[] = parse(text, { bom: true, columns: true });
    expect(wd22.lsoaWards).toHaveLength(rows.length);
  });

  it('reads districts to partnerships and force areas: Dartford and Gravesham share one', () => {
    const file = read(LOOKUP_FILES.csp23);
    const csp = (district: string) =>
      file.links.find((l) => l.district_code === district && l.parent_type === 'csp')?.parent_code;
    expect(csp('E07000107')).toBe('E22000352');
    expect(csp('E07000109')).toBe('E22000352');
    expect(file.areas).toContainEqual({
      code: 'E22000352',
      vintage: '2023',
      type: 'csp',
      name: 'Dartford and Gravesham',
    });
    expect(
      file.links.find((l) => l.district_code === 'E06000035' && l.parent_type === 'pfa'),
    ).toMatchObject({ parent_code: 'E23000032', vintage: '2023' });
  });

  it('links a district to its county but never a unitary authority to itself', () => {
    const file = read(LOOKUP_FILES.county23);
    expect(file.links).toContainEqual({
      district_code: 'E07000113',
      vintage: '2023',
      parent_type: 'county',
      parent_code: 'E10000016',
    });
    expect(file.links.find((l) => l.district_code === 'E06000035')).toBeUndefined();
  });

  it('takes a blank county in the ward lookup as no county (unitary authorities)', () => {
    const file = read(LOOKUP_FILES.ward23);
    expect(file.title).toBe('Ward (2023) to district (2023) to county (2023) to region (2023)');
    expect(
      file.links.filter((l) => l.district_code === 'E06000035').map((l) => l.parent_type),
    ).toEqual(['region']);
  });

  it('names the code columns it needs when the file is not a lookup', () => {
    const [message] = problemsOf('Crime ID,Month,LSOA code\nabc,2021-03,E01000001\n');
    expect(message).toContain('LSOA21CD, WD23CD and LAD23CD');
    expect(message).toContain('No code columns were found');
  });

  it('lists every bad row by row number and column', () => {
    const problems = problemsOf(
      'LSOA21CD,LSOA21NM,WD23CD,WD23NM,LAD23CD,LAD23NM\n' +
        'E01016024,Medway 022C,E05002249,Chatham Central,E06000035,Medway\n' +
        'E0101,Medway 022D,E05002249,Chatham Central,E06000035,Medway\n' +
        'E01016026,Medway 022E,E05002249,,E06000035,Medway\n',
    );
    expect(problems).toEqual([
      'Row 3, LSOA21CD: LSOA21CD “E0101” is not an ONS area code (9 characters, like E07000113)',
      'Row 4, WD23NM: WD23NM is blank: every area needs a name',
    ]);
  });
});
