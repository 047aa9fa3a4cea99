import { describe, expect, it } from 'vitest';
import { plural, singularNoun } from './words.js';

describe('plural', () => {
  it('says none, one and many as a sentence would', () => {
    expect(plural(0, 'action', 'actions')).toBe('no actions');
    expect(plural(1, 'action', 'actions')).toBe('1 action');
    expect(plural(12, 'progress update', 'progress updates')).toBe('12 progress updates');
  });
});

describe('singularNoun', () => {
  it.each([
    ['incidents', 'incident'],
    ['incident', 'incident'],
    ['callers', 'caller'],
    ['casualties', 'casualty'],
    ['KSI casualties', 'KSI casualty'],
    ['KSIs', 'KSI'],
    ['DHRs', 'DHR'],
    ['offences', 'offence'],
    ['MARAC cases', 'MARAC case'],
    ['One Stop Shop visits', 'One Stop Shop visit'],
    ['stop searches', 'stop search'],
    ['addresses', 'address'],
    ['Community Triggers', 'Community Trigger'],
    ['VICTIMS', 'VICTIM'],
    ['  crimes ', 'crime'],
    ['ASB', 'ASB'],
    ['business', 'business'],
    ['status', 'status'],
    ['analysis', 'analysis'],
    ['series', 'series'],
    ['people', 'people'],
    ['', ''],
  ])('%j is %j', (noun, singular) => {
    expect(singularNoun(noun)).toBe(singular);
  });
});
