import type { Generated, Selectable } from 'kysely';

export interface ThemesTable {
  id: Generated<number>;
  plan_id: number;
  type: string;
  position: number;
  title: string;
  summary: string;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type ThemeRow = Selectable<ThemesTable>;

export interface ThemePriorityActionsTable {
  id: Generated<number>;
  theme_id: number;
  position: number;
  text: string;
}
