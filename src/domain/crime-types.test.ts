import { describe, expect, it } from 'vitest';
import {
  ALL_CRIME,
  HOME_OFFICE_OFFENCE_GROUPS,
  INDICATOR_CRIME_TYPES,
  POLICE_UK_CRIME_TYPES,
  countsTowards,
  isCrime,
  isPoliceUkCrimeType,
  offenceGroupOf,
} from './crime-types.js';

describe('crime types', () => {
  it('has the 14 police.uk categories and all crime', () => {
    expect(POLICE_UK_CRIME_TYPES).toHaveLength(14);
    expect(INDICATOR_CRIME_TYPES).toHaveLength(15);
    expect(isPoliceUkCrimeType('Anti-social behaviour')).toBe(true);
    expect(isPoliceUkCrimeType('Violent crime')).toBe(false);
    expect(isCrime('Anti-social behaviour')).toBe(false);
    expect(isCrime('Shoplifting')).toBe(true);
  });

  it('counts every type but anti-social behaviour towards all crime', () => {
    expect(countsTowards(ALL_CRIME, 'Shoplifting')).toBe(true);
    expect(countsTowards(ALL_CRIME, 'Anti-social behaviour')).toBe(false);
    expect(countsTowards('Anti-social behaviour', 'Anti-social behaviour')).toBe(true);
    expect(countsTowards('Shoplifting', 'Burglary')).toBe(false);
  });

  it('places subgroups in their Home Office group', () => {
    expect(HOME_OFFICE_OFFENCE_GROUPS).toHaveLength(9);
    expect(offenceGroupOf('Stalking and harassment')).toBe('Violence against the person');
    expect(offenceGroupOf('burglary residential')).toBe('Theft offences');
    expect(offenceGroupOf('Sexual offences')).toBe('Sexual offences');
    expect(offenceGroupOf('Fraud offences')).toBeUndefined();
  });
});
