import type { Generated, Selectable } from 'kysely';

export interface GroupsTable {
  id: Generated<number>;
  partnership_id: number;
  name: string;
  kind: string;
  key_functions: string;
  meeting_frequency: string;
  created_at: string;
  updated_at: string;
}
export type GroupRow = Selectable<GroupsTable>;

export interface GroupMembersTable {
  id: Generated<number>;
  group_id: number;
  agency_id: number | null;
  user_id: number | null;
  created_at: string;
}
