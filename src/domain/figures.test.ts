import { describe, expect, it } from 'vitest';
import { figureMessages, formatFigure, parseFigure } from './figures.js';

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
});
