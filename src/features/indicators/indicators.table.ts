import type { Generated, Selectable } from 'kysely';

export interface IndicatorsTable {
  id: Generated<number>;
  partnership_id: number;
  theme_id: number | null;
  name: string;
  source: Generated<string>;
  /** count | rate | percentage */
  unit: string;
  noun: Generated<string>;
  /** increase-bad | increase-good | neutral */
  polarity: string;
  notes: Generated<string>;
  /** The police.uk crime type its monthly figures are filled from; null when entered by hand. */
  crime_type: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
export type IndicatorRow = Selectable<IndicatorsTable>;

export interface IndicatorValuesTable {
  id: Generated<number>;
  indicator_id: number;
  /** 'YYYY-MM': the month, or the last month of a 12-month total. */
  month: string;
  /** 1 for a month's figure, 12 for a 12-month total. */
  months: number;
  /** Exact decimal text, like "1234" or "12.35". */
  value: string;
  updated_at: string;
  updated_by_label: string;
}
export type IndicatorValueRow = Selectable<IndicatorValuesTable>;
