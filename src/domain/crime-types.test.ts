import { describe, expect, it } from 'vitest';
import {
  HOME_OFFICE_OFFENCE_GROUPS,
  isCrime,
  isPoliceUkCrimeType,
  offenceGroupOf,
  POLICE_UK_CRIME_TYPES,
} from './crime-types.js';

describe('crime types', () => {
  it('lists the 14 police.uk categories, anti-social behaviour among them', () => {
    expect(POLICE_UK_CRIME_TYPES).toHaveLength(14);
    expect(isPoliceUkCrimeType('Anti-social behaviour')).toBe(true);
    expect(isPoliceUkCrimeType('Violent crime')).toBe(false);
    expect(isCrime('Anti-social behaviour')).toBe(false);
    expect(isCrime('Shoplifting')).toBe(true);
  });

  it('places subgroups in their Home Office group', () => {
    expect(HOME_OFFICE_OFFENCE_GROUPS).toHaveLength(9);
    expect(offenceGroupOf('Stalking and harassment')).toBe('Violence against the person');
    expect(offenceGroupOf('burglary residential')).toBe('Theft offences');
    expect(offenceGroupOf('Sexual offences')).toBe('Sexual offences');
    expect(offenceGroupOf('Fraud offences')).toBeUndefined();
  });
});
