import { describe, expect, it } from 'vitest';
import { addMinutes, ukDate, ukDateOf, ukDateTime } from './dates.js';

describe('ukDate', () => {
  it('writes dates the GOV.UK way', () => {
    expect(ukDate('2022-11-02')).toBe('2 November 2022');
    expect(ukDate('2024-04-01T09:00:00Z')).toBe('1 April 2024');
  });

  it('uses UK local time, so a late summer evening in UTC is already the next day', () => {
    expect(ukDate('2023-06-30T23:30:00Z')).toBe('1 July 2023');
    expect(ukDate('2023-12-31T23:30:00Z')).toBe('31 December 2023');
  });

  it('gives nothing for a missing or broken value', () => {
    expect(ukDate(null)).toBe('');
    expect(ukDate('not a date')).toBe('');
  });
});

describe('ukDateTime', () => {
  it('adds a 12-hour time', () => {
    expect(ukDateTime('2022-11-02T15:05:00Z')).toBe('2 November 2022 at 3:05pm');
    expect(ukDateTime('2022-07-02T08:00:00Z')).toBe('2 July 2022 at 9:00am');
  });
});

describe('ukDateOf', () => {
  it('gives the UK date, a day ahead of UTC in the first hour of a summer day', () => {
    expect(ukDateOf('2024-06-30T23:30:00.000Z')).toBe('2024-07-01');
    expect(ukDateOf('2024-06-30T22:59:59.000Z')).toBe('2024-06-30');
    expect(ukDateOf('2024-12-31T23:30:00.000Z')).toBe('2024-12-31');
    expect(ukDateOf('2025-03-30T00:30:00.000Z')).toBe('2025-03-30');
  });
});

describe('addMinutes', () => {
  it('moves an ISO timestamp', () => {
    expect(addMinutes('2022-11-02T15:05:00.000Z', 90)).toBe('2022-11-02T16:35:00.000Z');
  });
});
