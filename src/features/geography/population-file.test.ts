import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../core/grid-file.js';
import { POPULATION_FILES, populationFile } from '../../../test/helpers/public-data.js';
import { readPopulationFile } from './population-file.js';

async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function problemsOf(buffer: Buffer): Promise<string[]> {
  try {
    await readPopulationFile(buffer);
  } catch (err) {
    if (err instanceof FileError) return err.message.split('\n');
    throw err;
  }
  throw new Error('the file was accepted');
}

const estimate = (
  file: Awaited<ReturnType<typeof readPopulationFile>>,
  code: string,
  year: number,
) => file.estimates.find((e) => e.code === code && e.year === year)?.population;

describe('reading ONS mid-year population estimates as published', () => {
  it('reads the mid-2023 release: every year from 2011, its title and publication date', async () => {
    const file = await readPopulationFile(populationFile(POPULATION_FILES.mid2023).content);
    expect(file.title).toBe('Mid-Year Population Estimates, England and Wales, June 2023');
    expect(file.published).toBe('2024-07-15');
    expect(file.years).toEqual([
      2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015, 2014, 2013, 2012, 2011,
    ]);
    expect(estimate(file, 'E07000113', 2023)).toBe(155_893);
    expect(estimate(file, 'E07000113', 2019)).toBe(149_753);
    expect(estimate(file, 'E07000113', 2011)).toBe(136_324);
    expect(estimate(file, 'E06000035', 2011)).toBe(264_885);
  });

  it('reads the UK mid-2022 release, whose figures differ from the later one', async () => {
    const file = await readPopulationFile(populationFile(POPULATION_FILES.mid2022).content);
    expect(file.title).toBe('Mid-Year Population Estimates, UK, June 2022');
    expect(file.published).toBe('2024-03-26');
    expect(file.years).toEqual([2022, 2011]);
    expect(estimate(file, 'E07000113', 2022)).toBe(154_619);
    expect(estimate(file, 'E10000016', 2022)).toBe(1_593_191);
  });

  it('says which sheets it found when the estimates sheet is missing', async () => {
    const buffer = await workbook({ 'Cover sheet': [['Estimates']], MYE2: [['Code']] });
    expect(await problemsOf(buffer)).toEqual([
      'The workbook has no MYE4 sheet (population estimates by year, as in the ONS mid-year estimates). Sheets found: Cover sheet, MYE2',
    ]);
  });

  it('refuses a sheet without the header, and bad figures by row and column', async () => {
    expect(
      await problemsOf(await workbook({ MYE4: [['Title'], ['Code', 'Name', 'Population']] })),
    ).toEqual(['The MYE4 sheet has no header row with Code, Name and year columns like Mid-2023']);
    const buffer = await workbook({
      MYE4: [
        ['MYE4: Population estimates'],
        ['Code', 'Name', 'Geography', 'Mid-2023', 'Mid-2022'],
        ['E07000113', 'Swale', 'Non-metropolitan District', 155893, 'about 154,000'],
        ['Swale', 'Swale', 'Non-metropolitan District', 1, 2],
        ['E06000035', 'Medway', 'Unitary Authority', 286800.5, 282702],
      ],
    });
    expect(await problemsOf(buffer)).toEqual([
      'Row 3, Mid-2022: Mid-2022 “about 154,000” is not a whole number of people',
      'Row 4, Code: Code “Swale” is not an ONS area code (9 characters, like E07000113)',
      'Row 5, Mid-2023: Mid-2023 “286800.5” is not a whole number of people',
    ]);
  });

  it('refuses a file that is not a workbook', async () => {
    expect(
      await problemsOf(Buffer.from('Area,mnemonic,2016\nladu:Swale,E07000113,144917\n')),
    ).toEqual(['The file must be an Excel .xlsx workbook']);
  });
});
