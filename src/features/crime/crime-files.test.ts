import { describe, expect, it } from 'vitest';
import { CSP_COLUMNS, detectLayout, PFA_COLUMNS, STREET_COLUMNS } from './crime-files.js';
import { parsePeriodEnd } from './recorded-crime.js';

describe('telling a crime file’s layout from its header', () => {
  it('knows the street, force-area and CSP layouts, whatever the column order', () => {
    expect(detectLayout([...STREET_COLUMNS], 'a.csv')).toBe('street');
    expect(detectLayout([...PFA_COLUMNS].reverse(), 'b.csv')).toBe('pfa');
    expect(detectLayout([...CSP_COLUMNS, 'Notes'], 'c.csv')).toBe('csp');
  });

  it('names the columns the closest layout lacks', () => {
    const stopAndSearch = ['Type', 'Date', 'Latitude', 'Longitude', 'Gender'];
    expect(() => detectLayout(stopAndSearch, 'search.csv')).toThrow(
      'search.csv, line 1: the header is not a layout Saferplan knows: as a data.police.uk street-level file it lacks the columns "Crime ID", "Month"',
    );
    expect(() => detectLayout(['12 months ending', 'PFA', 'Region', 'Offence'], 'pfa.csv')).toThrow(
      'as the recorded crime by police force area table it lacks the column "Rolling year total number of offences"',
    );
  });
});

describe('reading a 12 months ending date', () => {
  it('reads dd-mm-yyyy as the quarter’s last day, the stray 30-12-2017 included', () => {
    expect(parsePeriodEnd('31-03-2018')).toBe('2018-03-31');
    expect(parsePeriodEnd('30-06-2007')).toBe('2007-06-30');
    expect(parsePeriodEnd('30-12-2017')).toBe('2017-12-31');
  });

  it('refuses dates that end no quarter', () => {
    expect(() => parsePeriodEnd('15-02-2019')).toThrow('must be the end of a quarter');
    expect(() => parsePeriodEnd('15-03-2019')).toThrow(
      'must be the last day of a quarter, like 31-03-2019',
    );
    expect(() => parsePeriodEnd('2019-03-31')).toThrow('must be a date written dd-mm-yyyy');
  });
});
