import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import type { DbOrTrx } from '../../db/database.js';

/**
 * A file an importer has previewed waits here until the person who previewed it confirms it,
 * so the confirmation imports exactly that file, on whichever server answers. Once imported, the
 * row keeps the result (for the result page, and so a second confirmation changes nothing).
 * Rows are kept for a day.
 */
export type ImportKind = 'plan' | 'indicators';

export interface StagedImport {
  id: number;
  filename: string;
  content: Buffer;
  /** What the form said besides the file (a plan's title and period, say). */
  options: Record<string, unknown>;
  /** Set once imported. */
  result: unknown;
}

const KEEP_MS = 24 * 60 * 60 * 1000;

export async function stageImport(
  db: DbOrTrx,
  kind: ImportKind,
  actor: Actor,
  partnershipId: number,
  file: { filename: string; content: Buffer },
  options: Record<string, unknown> = {},
): Promise<number> {
  const now = new Date();
  await db
    .deleteFrom('file_imports')
    .where('created_at', '<', new Date(now.getTime() - KEEP_MS).toISOString())
    .execute();
  const row = await db
    .insertInto('file_imports')
    .values({
      kind,
      partnership_id: partnershipId,
      user_id: actor.userId,
      filename: file.filename,
      content: file.content,
      options: JSON.stringify(options),
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The actor's own staged file of this kind in this partnership; anyone else's answers 404. */
export async function findStagedImport(
  db: DbOrTrx,
  kind: ImportKind,
  actor: Actor,
  partnershipId: number,
  id: number,
): Promise<StagedImport> {
  const row = await db
    .selectFrom('file_imports')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', kind)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  if (!row || row.user_id !== actor.userId) throw new NotFoundError('Import');
  return {
    id: row.id,
    filename: row.filename,
    content: Buffer.from(row.content),
    options: JSON.parse(row.options) as Record<string, unknown>,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  };
}

/** Keeps the result in place of the file, in the transaction that imported it. */
export async function finishImport(db: DbOrTrx, id: number, result: unknown): Promise<void> {
  await db
    .updateTable('file_imports')
    .set({ result: JSON.stringify(result), content: Buffer.alloc(0) })
    .where('id', '=', id)
    .execute();
}

export async function discardImport(db: DbOrTrx, id: number): Promise<void> {
  await db.deleteFrom('file_imports').where('id', '=', id).execute();
}
