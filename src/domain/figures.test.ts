import { describe, expect, it } from 'vitest';
import { figureMessages, formatFigure, fromScaled, parseFigure, toScaled } from './figures.js';

describe('figures', () => {
  it.each([
    ['1234', 'count', '1234'],
    ['1,234', 'count', '1234'],
    [' 007 ', 'count', '7'],
    ['0', 'count', '0'],
    ['12.50', 'rate', '12.5'],
    ['.25', 'rate', '0.25'],
    ['3.0', 'count', '3'],
    ['45.2%', 'percentage', '45.2'],
    ['1,234.5678', 'rate', '1234.5678'],
  ] as const)('reads %s as a %s figure %s', (text, unit, value) => {
    expect(parseFigure(text, unit)).toEqual({ value });
  });

  it.each([
    ['', 'count', figureMessages.notNumber],
    ['twelve', 'count', figureMessages.notNumber],
    ['1,23', 'count', figureMessages.notNumber],
    ['1.2.3', 'rate', figureMessages.notNumber],
    ['12%', 'count', figureMessages.notNumber],
    ['-3', 'count', figureMessages.negative],
    ['2.5', 'count', figureMessages.notWhole],
    ['0.12345', 'rate', figureMessages.tooManyDecimals],
    ['1000000000000', 'count', figureMessages.tooLarge],
    ['1e3', 'count', figureMessages.notNumber],
  ] as const)('refuses %s as a %s figure', (text, unit, error) => {
    expect(parseFigure(text, unit)).toEqual({ error });
  });

  it('groups thousands for the page without rounding', () => {
    expect(formatFigure('1234567.125')).toBe('1,234,567.125');
    expect(formatFigure('999')).toBe('999');
  });

  it('keeps a sign when grouping a result', () => {
    expect(formatFigure('-1234567.5')).toBe('-1,234,567.5');
  });

  it.each([
    ['0', 0n],
    ['1234', 12_340_000n],
    ['0.0001', 1n],
    ['126.5625', 1_265_625n],
    ['-6.25', -62_500n],
    ['999999999999.9999', 9_999_999_999_999_999n],
  ] as const)('holds %s exactly as %d ten-thousandths, and back', (text, steps) => {
    expect(toScaled(text)).toBe(steps);
    expect(fromScaled(steps)).toBe(text);
  });

  it('writes results without trailing zeros', () => {
    expect(fromScaled(12_000n)).toBe('1.2');
    expect(fromScaled(-5_000n)).toBe('-0.5');
    expect(fromScaled(120_000_000_000_000_000n)).toBe('12000000000000');
  });

  it.each(['', '1,234', '1.23456', '1e3', '.5', '+1', 'NaN'])('refuses %j as a figure', (text) => {
    expect(() => toScaled(text)).toThrow(RangeError);
  });
});
