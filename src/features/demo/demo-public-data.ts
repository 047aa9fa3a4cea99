import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Actor } from '../../core/actor.js';
import { ROOT } from '../../paths.js';
import type { Services } from '../../services.js';

const FOLDER = resolve(ROOT, 'demo-data');
const LOOKUPS = [
  'LSOA11_WD21_LAD21_EW_LU.csv',
  'Local_Authority_District_to_CSPs_to_Police_Force_Areas_(December__2023)_Lookup_.csv',
];
const POPULATION = 'LAD23_Mid_Year_pop_2011_to_2023.xlsx';
const CRIME = 'kent-street-2021-03-to-2022-03.zip';

const named = async (filename: string) => ({
  filename,
  content: await readFile(resolve(FOLDER, filename)),
});

/**
 * Real public data for the demo's areas (see demo-data/SOURCES.md): the lookups that place
 * crime records, the population estimates rates divide by, and a year of Kent street-level
 * crime in Swale, Medway, Dartford and Gravesham.
 */
export async function addDemoPublicData(services: Services, actor: Actor): Promise<void> {
  await services.geography.importLookups(actor, await Promise.all(LOOKUPS.map(named)));
  await services.geography.importPopulation(actor, await named(POPULATION));
  await services.crime.importFiles(actor, [resolve(FOLDER, CRIME)]);
}
