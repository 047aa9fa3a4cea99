/**
 * Comparisons as the indicator pages show them: each window's figure under its label
 * ("Sep 21 – end Aug 22"), the change sentence, and the direction of travel as a tag whose word
 * says it, so it is never told by colour alone.
 */
import { DIRECTION_LABELS, type Direction } from '../../domain/change.js';
import { windowLabel } from '../../domain/periods.js';
import type { ComparisonBasis } from './indicators.schemas.js';
import type { IndicatorComparison } from './indicators.service.js';

export const BASIS_LABELS: Record<ComparisonBasis, string> = {
  rolling: 'Rolling 12 months',
  financial: 'Financial year (April to March)',
  calendar: 'Calendar year',
};

const DIRECTION_TAGS: Record<Direction, string> = {
  better: 'govuk-tag--green',
  worse: 'govuk-tag--red',
  neutral: 'govuk-tag--grey',
  'no-change': 'govuk-tag--grey',
};

export interface ComparisonRow {
  period: string;
  previous: { text: string; window: string };
  current: { text: string; window: string };
  change: string;
  /** The tag; null when a window is incomplete and there is no direction to give. */
  direction: { text: string; classes: string } | null;
}

export function comparisonRow(c: IndicatorComparison): ComparisonRow {
  return {
    period: BASIS_LABELS[c.basis],
    previous: { text: c.previous.text, window: windowLabel(c.previousWindow) },
    current: { text: c.current.text, window: windowLabel(c.currentWindow) },
    change: c.change.text,
    direction:
      c.direction === null
        ? null
        : { text: DIRECTION_LABELS[c.direction], classes: DIRECTION_TAGS[c.direction] },
  };
}
