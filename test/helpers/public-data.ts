import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../../src/paths.js';

/** The real public data samples kept beside the project (a worktree one level deeper looks up one more). */
export const PUBLIC_DATA =
  [resolve(ROOT, '../shared/data'), resolve(ROOT, '../../shared/data')].find((dir) =>
    existsSync(dir),
  ) ?? resolve(ROOT, '../shared/data');

export const LOOKUPS = resolve(PUBLIC_DATA, 'ons-geography-lookups');
export const POPULATION = resolve(PUBLIC_DATA, 'ons-population');

export const LOOKUP_FILES = {
  lsoa11: 'LSOA11_WD21_LAD21_EW_LU.csv',
  lsoa21wd23: 'LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv',
  lsoa21wd22:
    'LSOA_(2021)_to_Ward_to_Local_Authority_District_(May_2022)_Best_Fit_Lookup_for_EW.csv',
  csp23: 'Local_Authority_District_to_CSPs_to_Police_Force_Areas_(December__2023)_Lookup_.csv',
  csp17:
    'Local_Authority_District_to_Community_Safety_Partnerships_to_Police_Force_Areas__January_2017__Lookup_in_England_and_Wales_Version_2.csv',
  county23:
    'Local_Authority_District_to_County_and_Unitary_Authority_(April_2023)_Lookup_in_EW.csv',
  region23: 'Local_Authority_District_to_Region_(December_2023)_Lookup_in_England.csv',
  ward23:
    'Ward_to_Local_Authority_District_to_County_to_Region_to_Country_(May_2023)_Lookup_in_United_Kingdom.csv',
} as const;

export const POPULATION_FILES = {
  mid2023: 'LAD23_Mid_Year_pop_2011_to_2023.xlsx',
  mid2022: 'mye22final.xlsx',
} as const;

export function lookupFile(name: string): { filename: string; content: Buffer } {
  return { filename: name, content: readFileSync(resolve(LOOKUPS, name)) };
}

/** Every ONS lookup file of the samples, as the geography import takes them. */
export function allLookupFiles(): { filename: string; content: Buffer }[] {
  return readdirSync(LOOKUPS)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map(lookupFile);
}

export function populationFile(name: string): { filename: string; content: Buffer } {
  return { filename: name, content: readFileSync(resolve(POPULATION, name)) };
}
