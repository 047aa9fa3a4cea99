import type { Generated, Selectable } from 'kysely';

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: string;
  actor_user_id: number | null;
  actor_label: string;
  partnership_id: number | null;
  entity_type: string;
  entity_id: string;
  action: string;
  summary: string;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
}
export type AuditEventRow = Selectable<AuditEventsTable>;
