import { describe, expect, it } from 'vitest';
import {
  ALL_CRIME,
  INDICATOR_CRIME_TYPES,
  POLICE_UK_CRIME_TYPES,
  countsTowards,
} from './crime-types.js';

describe('crime types', () => {
  it('has the 14 police.uk categories and all crime', () => {
    expect(POLICE_UK_CRIME_TYPES).toHaveLength(14);
    expect(INDICATOR_CRIME_TYPES).toHaveLength(15);
  });

  it('counts every type but anti-social behaviour towards all crime', () => {
    expect(countsTowards(ALL_CRIME, 'Shoplifting')).toBe(true);
    expect(countsTowards(ALL_CRIME, 'Anti-social behaviour')).toBe(false);
    expect(countsTowards('Anti-social behaviour', 'Anti-social behaviour')).toBe(true);
    expect(countsTowards('Shoplifting', 'Burglary')).toBe(false);
  });
});
