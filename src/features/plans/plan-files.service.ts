import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import { fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import type { Status } from '../../domain/statuses.js';
import { parseMonth } from '../../domain/periods.js';
import { readTimescale } from '../../domain/timescales.js';
import { recordAudit } from '../audit/audit.service.js';
import { insertGroup } from '../groups/groups.service.js';
import {
  discardImport,
  findStagedImport,
  finishImport,
  stageImport,
  type StagedImport,
} from '../imports/staged-imports.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import { toCsv, toXlsx } from '../../core/grid-export.js';
import { planFileRows, readPlanFile, type PlanFile, type PlanFileThemeType } from './plan-file.js';
import {
  findPlanRow,
  insertDraftPlan,
  loadPlan,
  toSummary,
  type PlanSummary,
} from './plans.repository.js';
import { messages, newPlanSchema, optional, periodText } from './plans.schemas.js';

export const importMessages = {
  fileMissing: 'Select the action plan file',
  monthNeeded: (n: number) =>
    `The file has ${n === 1 ? 'an update' : `${n} updates`} with no update month: enter the month ${n === 1 ? 'it is' : 'they are'} for`,
};

export const importSchema = newPlanSchema.extend({
  /** The month of updates the file gives no month for. */
  updateMonth: optional(periodText(parseMonth, '')),
});

export interface ImportFile {
  filename: string;
  content: Buffer;
}

// The web form's fields and its file, so a missing file is reported with the other errors.
const withFile = importSchema.extend({
  file: z.custom<ImportFile>((v) => typeof v === 'object' && v !== null && 'content' in v, {
    error: importMessages.fileMissing,
  }),
});

const asObject = (input: unknown): object =>
  typeof input === 'object' && input !== null ? input : {};

export interface PreviewLead {
  name: string;
  /** False when no agency or group of the partnership has this name: it will be made a group. */
  known: boolean;
}

export interface PreviewAction {
  number: string;
  title: string;
  desiredOutcome: string;
  milestones: { text: string; timescale: string; unread: string | null }[];
  milestoneNote: string | null;
  leads: PreviewLead[];
  update: { status: Status; month: string; narrative: string } | null;
}

export interface ImportPreview {
  id: number;
  title: string;
  periodLabel: string;
  filename: string;
  themes: { type: PlanFileThemeType; title: string; actions: PreviewAction[] }[];
  counts: {
    themes: number;
    actions: number;
    milestones: number;
    unreadTimescales: number;
    mismatchedMilestones: number;
    updates: number;
  };
  /** Lead bodies not yet known, which the import creates as groups. */
  newGroups: string[];
}

export interface ImportResult {
  plan: PlanSummary;
  counts: ImportPreview['counts'];
  createdGroups: string[];
}

/** The types of the files a plan exports as. */
export const PLAN_FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const CHUNK = 500;

// Case and spacing aside, around a "/" too: "CSP / ASB Panel" is the group "CSP/ASB Panel".
const leadKey = (name: string): string =>
  name
    .trim()
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .toLowerCase();

type Values = z.output<typeof importSchema>;
type LeadRef = { type: 'agency' | 'group'; id: number };

/**
 * Imports an action plan file as a new draft plan, all or nothing: a file with any bad row is
 * refused whole, with every problem named by row and column, and nothing is saved. Lead bodies
 * the partnership does not know yet are created as groups. The web page previews first; the
 * command line and API import at once through the same rules.
 */
export class PlanFilesService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  /** Coordinators only: throws 404 or 403 like every other change to a partnership's plans. */
  async checkAccess(actor: Actor, slug: string): Promise<void> {
    await this.partnerships.manageable(actor, slug);
  }

  /** Reads and checks the file, keeps it for confirmation and says what it would create. */
  async preview(
    actor: Actor,
    slug: string,
    input: unknown,
    file: ImportFile | undefined,
  ): Promise<ImportPreview> {
    const { file: chosen, ...values } = parseInput(withFile, { ...asObject(input), file });
    const p = await this.partnerships.manageable(actor, slug);
    const { plan, known } = await this.readFile(this.db, p.id, chosen);
    const preview = await this.describe(this.db, p, values, chosen.filename, plan, known);
    const id = await stageImport(this.db, 'plan', actor, p.id, chosen, {
      title: values.title,
      period: values.period.label,
      updateMonth: values.updateMonth,
    });
    return { ...preview, id };
  }

  /** A previewed file, read again; or, once imported, its result. */
  async get(
    actor: Actor,
    slug: string,
    importId: number,
  ): Promise<{ preview: ImportPreview } | { result: ImportResult }> {
    const p = await this.partnerships.manageable(actor, slug);
    const row = await findStagedImport(this.db, 'plan', actor, p.id, importId);
    if (row.result) return { result: row.result as ImportResult };
    const { values, plan, known } = await this.reread(this.db, p.id, row);
    return {
      preview: {
        ...(await this.describe(this.db, p, values, row.filename, plan, known)),
        id: row.id,
      },
    };
  }

  /** Imports a previewed file. */
  async confirm(actor: Actor, slug: string, importId: number): Promise<ImportResult> {
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const row = await findStagedImport(trx, 'plan', actor, p.id, importId);
      if (row.result) return row.result as ImportResult;
      const { values, plan, known } = await this.reread(trx, p.id, row);
      const result = await this.write(trx, actor, p, values, row.filename, plan, known);
      await finishImport(trx, row.id, result);
      return result;
    });
  }

  async discard(actor: Actor, slug: string, importId: number): Promise<void> {
    const p = await this.partnerships.manageable(actor, slug);
    const row = await findStagedImport(this.db, 'plan', actor, p.id, importId);
    await discardImport(this.db, row.id);
  }

  /** Reads and imports in one step, for the command line and the API. */
  async importFile(
    actor: Actor,
    slug: string,
    input: unknown,
    file: ImportFile,
  ): Promise<ImportResult> {
    const values = parseInput(importSchema, input);
    // Read before the transaction, which then is not held while a large file is parsed.
    const { plan } = await this.readFile(
      this.db,
      (await this.partnerships.manageable(actor, slug)).id,
      file,
    );
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      // The leads again, as they stand in the transaction that adds to them.
      const known = await this.knownLeads(trx, p.id);
      return this.write(trx, actor, p, values, file.filename, plan, known);
    });
  }

  /** The plan's actions with their latest updates, in the columns the import reads. */
  async exportPlan(
    actor: Actor,
    slug: string,
    planId: number,
    format: 'csv' | 'xlsx',
  ): Promise<ImportFile & { contentType: string }> {
    const p = await this.partnerships.readable(actor, slug);
    const plan = await loadPlan(this.db, await findPlanRow(this.db, p.id, planId));
    const rows = planFileRows(plan);
    const name = `${plan.title} ${plan.periodLabel}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return format === 'csv'
      ? { filename: `${name}.csv`, contentType: PLAN_FILE_TYPES.csv, content: toCsv(rows) }
      : {
          filename: `${name}.xlsx`,
          contentType: PLAN_FILE_TYPES.xlsx,
          content: await toXlsx(rows, {
            sheet: 'Action plan',
            widths: [14, 28, 6, 50, 40, 50, 24, 28, 16, 60, 12],
          }),
        };
  }

  private async reread(
    db: DbOrTrx,
    partnershipId: number,
    row: StagedImport,
  ): Promise<{ values: Values; plan: PlanFile; known: Map<string, LeadRef> }> {
    const values = parseInput(importSchema, row.options);
    return { values, ...(await this.readFile(db, partnershipId, row)) };
  }

  /** The file's plan, its leads read against the partnership's agencies and groups. */
  private async readFile(
    db: DbOrTrx,
    partnershipId: number,
    file: { content: Buffer; filename: string },
  ): Promise<{ plan: PlanFile; known: Map<string, LeadRef> }> {
    const known = await this.knownLeads(db, partnershipId);
    const plan = await readPlanFile(file.content, file.filename, (name) =>
      known.has(leadKey(name)),
    );
    return { plan, known };
  }

  /** The rules that need the database, and what the import would create. */
  private async describe(
    db: DbOrTrx,
    p: PartnershipRow,
    values: Values,
    filename: string,
    plan: PlanFile,
    known: ReadonlyMap<string, LeadRef>,
  ): Promise<Omit<ImportPreview, 'id'>> {
    const clash = await db
      .selectFrom('plans')
      .select('id')
      .where('partnership_id', '=', p.id)
      .where('period_label', '=', values.period.label)
      .executeTakeFirst();
    if (clash) throw fieldError('period', messages.periodTaken);
    const actions = plan.themes.flatMap((t) => t.actions);
    const undated = actions.filter((a) => a.status && !a.updateMonth).length;
    if (undated && !values.updateMonth)
      throw fieldError('updateMonth', importMessages.monthNeeded(undated));

    const newGroups = new Map<string, string>();
    const themes = plan.themes.map((t) => ({
      type: t.type,
      title: t.title,
      actions: t.actions.map((a): PreviewAction => {
        const leads = a.leads.map((name) => {
          const isKnown = known.has(leadKey(name));
          if (!isKnown && !newGroups.has(leadKey(name))) newGroups.set(leadKey(name), name);
          return { name, known: isKnown };
        });
        const month = a.updateMonth ?? values.updateMonth;
        return {
          number: a.number,
          title: a.action,
          desiredOutcome: a.desiredOutcome,
          milestones: a.milestones.map((m) => ({
            ...m,
            unread: m.timescale
              ? readTimescale(m.timescale, { start: values.period.start }).unread
              : null,
          })),
          milestoneNote: a.milestoneNote ?? null,
          leads,
          update: a.status && month ? { status: a.status, month, narrative: a.update ?? '' } : null,
        };
      }),
    }));
    const all = themes.flatMap((t) => t.actions);
    return {
      title: values.title,
      periodLabel: values.period.label,
      filename,
      themes,
      counts: {
        themes: themes.length,
        actions: all.length,
        milestones: all.reduce((n, a) => n + a.milestones.length, 0),
        unreadTimescales: all.reduce((n, a) => n + a.milestones.filter((m) => m.unread).length, 0),
        mismatchedMilestones: all.filter((a) => a.milestoneNote).length,
        updates: all.filter((a) => a.update).length,
      },
      newGroups: [...newGroups.values()],
    };
  }

  /** The partnership's partner agencies and groups by name, case and spacing aside. */
  private async knownLeads(db: DbOrTrx, partnershipId: number): Promise<Map<string, LeadRef>> {
    const [agencies, groups] = await Promise.all([
      db
        .selectFrom('partnership_agencies')
        .innerJoin('agencies', 'agencies.id', 'partnership_agencies.agency_id')
        .select(['agencies.id', 'agencies.name'])
        .where('partnership_id', '=', partnershipId)
        .execute(),
      db
        .selectFrom('groups')
        .select(['id', 'name'])
        .where('partnership_id', '=', partnershipId)
        .execute(),
    ]);
    const known = new Map<string, LeadRef>();
    // A group and an agency of the same name: the agency leads, as it is the one accountable.
    for (const g of groups) known.set(leadKey(g.name), { type: 'group', id: g.id });
    for (const a of agencies) known.set(leadKey(a.name), { type: 'agency', id: a.id });
    return known;
  }

  private async write(
    trx: DbOrTrx,
    actor: Actor,
    p: PartnershipRow,
    values: Values,
    filename: string,
    file: PlanFile,
    leads: Map<string, LeadRef>,
  ): Promise<ImportResult> {
    const preview = await this.describe(trx, p, values, filename, file, leads);
    const now = nowIso();
    const planRow = await insertDraftPlan(trx, p.id, values);

    for (const name of preview.newGroups) {
      const group = await insertGroup(
        trx,
        actor,
        p.id,
        { name, kind: 'other', keyFunctions: '', meetingFrequency: '' },
        `Created the group ${name}, named as a lead in the imported plan ${values.title}`,
      );
      leads.set(leadKey(name), { type: 'group', id: group.id });
    }

    const themeIds: number[] = [];
    for (const [i, t] of preview.themes.entries()) {
      const row = await trx
        .insertInto('themes')
        .values({
          plan_id: planRow.id,
          type: t.type,
          position: i + 1,
          title: t.title,
          summary: '',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      themeIds.push(row.id);
    }

    const actions = preview.themes
      .flatMap((t, i) => t.actions.map((a) => ({ a, themeId: themeIds[i] ?? 0 })))
      .map((x, i) => ({ ...x, position: i + 1 }));
    for (const chunk of chunks(actions)) {
      await trx
        .insertInto('actions')
        .values(
          chunk.map(({ a, themeId, position }) => ({
            plan_id: planRow.id,
            theme_id: themeId,
            number: a.number,
            position,
            title: a.title,
            desired_outcome: a.desiredOutcome,
            milestone_note: a.milestoneNote,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
    // Numbers are unique in a plan, so they find the new rows whatever order the database returns.
    const idOf = new Map(
      (
        await trx
          .selectFrom('actions')
          .select(['id', 'number'])
          .where('plan_id', '=', planRow.id)
          .execute()
      ).map((r) => [r.number, r.id]),
    );
    const actionId = (number: string): number => idOf.get(number) ?? 0;

    const milestones = actions.flatMap(({ a }) =>
      a.milestones.map((m, i) => {
        const read = m.timescale
          ? readTimescale(m.timescale, { start: values.period.start })
          : null;
        return {
          action_id: actionId(a.number),
          position: i + 1,
          text: m.text,
          timescale: m.timescale,
          due_date: read?.due ?? null,
          timescale_note: read?.unread ?? null,
        };
      }),
    );
    for (const chunk of chunks(milestones))
      await trx.insertInto('milestones').values(chunk).execute();

    const actionLeads = actions.flatMap(({ a }) => {
      const seen = new Set<string>();
      return a.leads.flatMap((l) => {
        const ref = leads.get(leadKey(l.name));
        if (!ref || seen.has(`${ref.type}:${ref.id}`)) return [];
        seen.add(`${ref.type}:${ref.id}`);
        return [
          {
            action_id: actionId(a.number),
            agency_id: ref.type === 'agency' ? ref.id : null,
            group_id: ref.type === 'group' ? ref.id : null,
          },
        ];
      });
    });
    for (const chunk of chunks(actionLeads))
      await trx.insertInto('action_leads').values(chunk).execute();

    const updates = actions.flatMap(({ a }) =>
      a.update
        ? [
            {
              action_id: actionId(a.number),
              month: a.update.month,
              status: a.update.status,
              narrative: a.update.narrative,
              author_user_id: actor.userId,
              author_label: actor.label,
              created_at: now,
            },
          ]
        : [],
    );
    for (const chunk of chunks(updates))
      await trx.insertInto('action_updates').values(chunk).execute();

    await recordAudit(trx, actor, {
      partnershipId: p.id,
      entityType: 'plan',
      entityId: planRow.id,
      action: 'created',
      summary: `Imported the plan ${values.title} (${values.period.label}) from ${filename}: ${preview.counts.themes} themes, ${preview.counts.actions} actions`,
      after: { title: values.title, period: values.period.label, filename, ...preview.counts },
    });
    return { plan: toSummary(planRow), counts: preview.counts, createdGroups: preview.newGroups };
  }
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
