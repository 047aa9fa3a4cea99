import type { Generated, Selectable } from 'kysely';

export interface AgenciesTable {
  id: Generated<number>;
  name: string;
  kind: string;
  created_at: string;
  updated_at: string;
}
export type AgencyRow = Selectable<AgenciesTable>;
