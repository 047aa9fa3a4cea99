/**
 * The two vocabularies crime figures come in. data.police.uk street-level records use 14 broad
 * categories; Home Office recorded crime uses offence groups and subgroups. They do not map
 * one to one, so a figure always says which vocabulary it counts in. Also the two totals an
 * indicator can follow, and what counts towards each choice.
 */

export const ANTI_SOCIAL_BEHAVIOUR = 'Anti-social behaviour';
/** Every crime type except anti-social behaviour, which police.uk publishes beside crime. */
export const ALL_CRIME = 'All crime';

/** The 14 police.uk categories in use since May 2013, anti-social behaviour included, as they appear in the files. */
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

export type PoliceUkCrimeType = (typeof POLICE_UK_CRIME_TYPES)[number];

export function isPoliceUkCrimeType(text: string): text is PoliceUkCrimeType {
  return (POLICE_UK_CRIME_TYPES as readonly string[]).includes(text);
}

/** Crimes only: anti-social behaviour incidents are not recorded crimes. */
export function isCrime(crimeType: string): boolean {
  return crimeType !== ANTI_SOCIAL_BEHAVIOUR;
}

/** What an indicator can be filled from: all crime, or one police.uk category. */
export const INDICATOR_CRIME_TYPES = [ALL_CRIME, ...POLICE_UK_CRIME_TYPES] as const;
export type IndicatorCrimeType = (typeof INDICATOR_CRIME_TYPES)[number];

export function isIndicatorCrimeType(text: string): text is IndicatorCrimeType {
  return (INDICATOR_CRIME_TYPES as readonly string[]).includes(text);
}

/** Whether records of a police.uk type count towards an indicator's choice. */
export function countsTowards(choice: IndicatorCrimeType, crimeType: string): boolean {
  return choice === ALL_CRIME ? isCrime(crimeType) : crimeType === choice;
}

export interface OffenceGroup {
  name: string;
  /** Empty when the group is not divided. */
  subgroups: readonly string[];
}

/** The Home Office offence groups and their subgroups, as partnerships report them. */
export const HOME_OFFICE_OFFENCE_GROUPS: readonly OffenceGroup[] = [
  {
    name: 'Violence against the person',
    subgroups: [
      'Homicide',
      'Violence with injury',
      'Violence without injury',
      'Stalking and harassment',
    ],
  },
  { name: 'Sexual offences', subgroups: [] },
  { name: 'Robbery', subgroups: [] },
  {
    name: 'Theft offences',
    subgroups: [
      'Burglary residential',
      'Burglary business and community',
      'Vehicle offences',
      'Theft from the person',
      'Bicycle theft',
      'Shoplifting',
      'All other theft',
    ],
  },
  { name: 'Criminal damage and arson', subgroups: [] },
  { name: 'Drug offences', subgroups: [] },
  { name: 'Possession of weapons', subgroups: [] },
  { name: 'Public order offences', subgroups: [] },
  { name: 'Miscellaneous crimes against society', subgroups: [] },
];

/** The Home Office group a group or subgroup name belongs to, or undefined when unknown. */
export function offenceGroupOf(name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  for (const group of HOME_OFFICE_OFFENCE_GROUPS) {
    if (group.name.toLowerCase() === wanted) return group.name;
    if (group.subgroups.some((s) => s.toLowerCase() === wanted)) return group.name;
  }
  return undefined;
}
