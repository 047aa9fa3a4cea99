import { describe, expect, it } from 'vitest';
import { incompleteMonthFlags } from './incomplete-months.js';

// Crimes (anti-social behaviour excluded) of Kent Police records in Swale and Medway,
// counted from the data.police.uk files in shared/data/police-uk.
const KENT_2018 = [
  { month: '2018-10', crimes: 4361 },
  { month: '2018-11', crimes: 2937 },
  { month: '2018-12', crimes: 1407 },
  { month: '2019-01', crimes: 3955 },
  { month: '2019-02', crimes: 3604 },
];
const KENT_2021 = [
  { month: '2021-11', crimes: 6270 },
  { month: '2021-12', crimes: 5696 },
  { month: '2022-01', crimes: 5818 },
  { month: '2022-02', crimes: 5256 },
  { month: '2022-03', crimes: 6017 },
];

const flagged = (flags: Map<string, string | null>) =>
  [...flags].filter(([, f]) => f !== null).map(([m]) => m);

describe('incomplete months', () => {
  it('flags Kent November and December 2018 and no other month', () => {
    const flags = incompleteMonthFlags(KENT_2018);
    expect(flagged(flags)).toEqual(['2018-11', '2018-12']);
    expect(flags.get('2018-12')).toBe(
      '1,407 crimes (anti-social behaviour not counted) is 63% below the 3,780 typical of ' +
        'October 2018 to February 2019: records look incomplete for this month',
    );
  });

  it('does not flag a short February or a winter dip', () => {
    expect(flagged(incompleteMonthFlags(KENT_2021))).toEqual([]);
  });

  it('needs two neighbouring months before judging a month', () => {
    expect(
      flagged(
        incompleteMonthFlags([
          { month: '2018-12', crimes: 10 },
          { month: '2019-01', crimes: 5000 },
        ]),
      ),
    ).toEqual([]);
    // A neighbour more than three months away does not count.
    expect(
      flagged(
        incompleteMonthFlags([
          { month: '2018-01', crimes: 5000 },
          { month: '2018-06', crimes: 10 },
          { month: '2018-07', crimes: 5000 },
        ]),
      ),
    ).toEqual([]);
  });

  it('re-judges a month when its neighbours arrive', () => {
    const alone = incompleteMonthFlags(KENT_2018.slice(1, 3));
    expect(flagged(alone)).toEqual([]);
    expect(flagged(incompleteMonthFlags(KENT_2018))).toContain('2018-11');
  });
});
