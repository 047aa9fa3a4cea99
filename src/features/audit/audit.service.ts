import type { Actor } from '../../core/actor.js';
import { nowIso, type DbOrTrx } from '../../db/database.js';
import type { AuditEventRow } from './audit.table.js';

export interface AuditEntry {
  partnershipId: number | null;
  entityType: string;
  entityId: number | string;
  action: 'created' | 'updated' | 'deleted' | 'added' | 'removed' | 'disabled' | 'enabled';
  summary: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEvent {
  id: number;
  occurredAt: string;
  actor: string;
  entityType: string;
  entityId: string;
  action: string;
  summary: string;
  before: unknown;
  after: unknown;
}

/** Append one event; call it inside the transaction that makes the change. */
export async function recordAudit(db: DbOrTrx, actor: Actor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      occurred_at: nowIso(),
      actor_user_id: actor.userId,
      actor_label: actor.label,
      partnership_id: entry.partnershipId,
      entity_type: entry.entityType,
      entity_id: String(entry.entityId),
      action: entry.action,
      summary: entry.summary,
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
      request_id: actor.requestId ?? null,
    })
    .execute();
}

function toEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actor: row.actor_label,
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    summary: row.summary,
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
  };
}

export const AUDIT_PAGE_SIZE = 50;

/** Newest first, a page at a time. Callers check access to the partnership first. */
export async function auditForPartnership(
  db: DbOrTrx,
  partnershipId: number,
  page: number,
): Promise<{ events: AuditEvent[]; hasMore: boolean }> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .orderBy('id', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return {
    events: rows.slice(0, AUDIT_PAGE_SIZE).map(toEvent),
    hasMore: rows.length > AUDIT_PAGE_SIZE,
  };
}

/** The history of one record, oldest first. Callers check access to the record first. */
export async function historyOf(
  db: DbOrTrx,
  entityType: string,
  entityId: number | string,
): Promise<AuditEvent[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toEvent);
}
