/**
 * The crime types of police.uk street-level data, as its files name them, and the two totals an
 * indicator can follow. Kept minimal: the list and what counts towards each choice.
 */

export const ANTI_SOCIAL_BEHAVIOUR = 'Anti-social behaviour';
/** Every crime type except anti-social behaviour, which police.uk publishes beside crime. */
export const ALL_CRIME = 'All crime';

/** The 14 police.uk categories, anti-social behaviour included, as they appear in the files. */
export const POLICE_UK_CRIME_TYPES = [
  'Anti-social behaviour',
  'Bicycle theft',
  'Burglary',
  'Criminal damage and arson',
  'Drugs',
  'Other crime',
  'Other theft',
  'Possession of weapons',
  'Public order',
  'Robbery',
  'Shoplifting',
  'Theft from the person',
  'Vehicle crime',
  'Violence and sexual offences',
] as const;

/** What an indicator can be filled from: all crime, or one police.uk category. */
export const INDICATOR_CRIME_TYPES = [ALL_CRIME, ...POLICE_UK_CRIME_TYPES] as const;
export type IndicatorCrimeType = (typeof INDICATOR_CRIME_TYPES)[number];

export function isIndicatorCrimeType(text: string): text is IndicatorCrimeType {
  return (INDICATOR_CRIME_TYPES as readonly string[]).includes(text);
}

/** Whether records of a police.uk type count towards an indicator's choice. */
export function countsTowards(choice: IndicatorCrimeType, crimeType: string): boolean {
  return choice === ALL_CRIME ? crimeType !== ANTI_SOCIAL_BEHAVIOUR : crimeType === choice;
}
