import { z } from 'zod';
import { canManagePartnership, type Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { conflictError, fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, todayIso, type Db, type DbOrTrx } from '../../db/database.js';
import {
  addMonths,
  compareMonths,
  isFutureMonth,
  longWindowLabel,
  monthLabel,
  monthOf,
  parseMonth,
  rollingYear,
} from '../../domain/periods.js';
import { recordAudit } from '../audit/audit.service.js';
import { crimeFlags, partnershipDistricts } from '../indicators/crime-indicators.js';
import { loadFigures } from '../indicators/indicators.repository.js';
import type { IndicatorsService } from '../indicators/indicators.service.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import { findPlanRow, loadPlan, toSummary } from '../plans/plans.repository.js';
import {
  buildExceptionReport,
  type ExceptionReport,
  type ReportEdition,
  type ReportHeader,
} from './exception-report.js';
import {
  commentaryOf,
  findReportRow,
  reportsOf,
  reportSummaries,
  summaryOf,
  type ReportSummary,
} from './reports.repository.js';
import {
  commentarySchema,
  headerSchema,
  newReportSchema,
  reportMessages,
  versionField,
} from './reports.schemas.js';
import type { ReportRow } from './reports.table.js';

export interface SavedReport extends ReportSummary {
  version: number;
  canManage: boolean;
  report: ExceptionReport;
  /** Set when no indicator of the plan has a figure in either rolling year. */
  noData: NoData | null;
  /** The draft of the period's next version, when one is being written. */
  draftId: number | null;
}

export interface NoData {
  /** The plan's indicators (under its themes), or none. */
  indicators: string[];
  /** The latest month any of them has a figure for, when there is one. */
  latestMonth: string | null;
}

const subjectFor = (planTitle: string, periodEnd: string): string =>
  `${planTitle}: exception report for the rolling year to ${monthLabel(periodEnd)}`;

const introductionFor = (planTitle: string, periodEnd: string): string =>
  `This report sets out, for each priority and cross-cutting theme of the ${planTitle}, the ` +
  `key indicators for the rolling year to ${monthLabel(periodEnd)} against the year before, ` +
  'how many of its actions are complete, in progress, or not yet started or off track, and ' +
  'comments on them. The full update of the action plan follows.';

const headerOf = (row: ReportRow): ReportHeader => ({
  to: row.to_text,
  date: row.report_date,
  subject: row.subject,
  by: row.by_text,
});

/** No figure at all for either rolling year: the report would be empty tables. */
function lacksData(report: ExceptionReport): boolean {
  return report.themes.every((t) =>
    t.indicators.every((i) => i.previous === null && i.current === null),
  );
}

/**
 * Quarterly exception reports. Everyone in a partnership reads them; its coordinators start
 * them, write the header and commentary, and issue them. A draft shows live figures and
 * updates; issuing freezes the report as it then reads, and a new version starts from a copy
 * of the last issue's words.
 */
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
    private readonly indicators: IndicatorsService,
    /** Today as 'YYYY-MM-DD'. */
    private readonly today: () => string = () => todayIso(),
  ) {}

  async list(actor: Actor, slug: string): Promise<ReportSummary[]> {
    const p = await this.partnerships.readable(actor, slug);
    return reportSummaries(this.db, p.id);
  }

  /** The last month a report can end at, and the month a new one is offered for. */
  suggestedPeriodEnd(): string {
    return addMonths(monthOf(this.today()), -1);
  }

  /** A new draft, or the plan's draft for that period when there is one already. */
  async create(actor: Actor, slug: string, input: unknown): Promise<{ id: number }> {
    const values = parseInput(newReportSchema, input);
    this.checkPeriodEnd(values.periodEnd);
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const plan = await findPlanRow(trx, p.id, values.planId).catch((err: unknown) => {
        if (err instanceof NotFoundError) throw fieldError('planId', reportMessages.planMissing);
        throw err;
      });
      const existing = await reportsOf(trx, plan.id, values.periodEnd);
      const draft = existing.find((r) => r.status === 'draft');
      if (draft) return { id: draft.id };
      const now = nowIso();
      const row = await trx
        .insertInto('reports')
        .values({
          partnership_id: p.id,
          plan_id: plan.id,
          period_end: values.periodEnd,
          status: 'draft',
          issue_number: existing.length + 1,
          to_text: `${p.name} Executive`,
          report_date: this.today(),
          subject: subjectFor(plan.title, values.periodEnd),
          by_text: actor.label,
          introduction: introductionFor(plan.title, values.periodEnd),
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'report',
        entityId: row.id,
        action: 'created',
        summary: `Started the exception report for ${longWindowLabel(rollingYear(values.periodEnd))}`,
      });
      return { id: row.id };
    });
  }

  async get(actor: Actor, slug: string, reportId: number): Promise<SavedReport> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findReportRow(this.db, p.id, reportId);
    return this.load(actor, p, row);
  }

  /**
   * The report for a plan and period as the command line and API find it: the latest issue, or
   * with `draft` the draft; null when there is none.
   */
  async find(
    actor: Actor,
    slug: string,
    planId: number,
    periodEnd: string,
    opts: { draft?: boolean } = {},
  ): Promise<SavedReport | null> {
    const p = await this.partnerships.readable(actor, slug);
    await findPlanRow(this.db, p.id, planId);
    const rows = await reportsOf(this.db, planId, parseMonth(periodEnd));
    const row = opts.draft
      ? rows.find((r) => r.status === 'draft')
      : rows.filter((r) => r.status === 'issued').at(-1);
    return row ? this.load(actor, p, row) : null;
  }

  /** A report that is not saved: today's figures and updates, without commentary. */
  async preview(actor: Actor, slug: string, input: unknown): Promise<ExceptionReport> {
    const values = parseInput(newReportSchema, input);
    this.checkPeriodEnd(values.periodEnd);
    const p = await this.partnerships.readable(actor, slug);
    const plan = await findPlanRow(this.db, p.id, values.planId);
    const date = this.today();
    return this.build(p, {
      planId: plan.id,
      periodEnd: values.periodEnd,
      header: {
        to: '',
        date,
        subject: subjectFor(plan.title, values.periodEnd),
        by: actor.label,
      },
      introduction: introductionFor(plan.title, values.periodEnd),
      commentary: new Map(),
      edition: { status: 'unsaved', version: null, issuedAt: null, issuedBy: null },
    });
  }

  async updateHeader(actor: Actor, slug: string, reportId: number, input: unknown): Promise<void> {
    const { version, to, date, subject, by, introduction } = parseInput(headerSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.draftFor(actor, slug, reportId, trx, version);
      await trx
        .updateTable('reports')
        .set({
          to_text: to,
          report_date: date,
          subject,
          by_text: by,
          introduction,
          version: row.version + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'report',
        entityId: row.id,
        action: 'updated',
        summary: 'Changed the report’s header and introduction',
        before: { ...headerOf(row), introduction: row.introduction },
        after: { to, date, subject, by, introduction },
      });
    });
  }

  async saveCommentary(
    actor: Actor,
    slug: string,
    reportId: number,
    themeId: number,
    input: unknown,
  ): Promise<void> {
    const values = parseInput(commentarySchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.draftFor(actor, slug, reportId, trx, values.version);
      const theme = await trx
        .selectFrom('themes')
        .select(['id', 'title'])
        .where('id', '=', themeId)
        .where('plan_id', '=', row.plan_id)
        .executeTakeFirst();
      if (!theme) throw new NotFoundError('Theme');
      const before = await trx
        .selectFrom('report_commentary')
        .select('text')
        .where('report_id', '=', row.id)
        .where('theme_id', '=', theme.id)
        .executeTakeFirst();
      if ((before?.text ?? '') === values.commentary) return;
      const now = nowIso();
      await trx
        .deleteFrom('report_commentary')
        .where('report_id', '=', row.id)
        .where('theme_id', '=', theme.id)
        .execute();
      if (values.commentary) {
        await trx
          .insertInto('report_commentary')
          .values({
            report_id: row.id,
            theme_id: theme.id,
            text: values.commentary,
            updated_at: now,
            updated_by_label: actor.label,
          })
          .execute();
      }
      await trx
        .updateTable('reports')
        .set({ version: row.version + 1, updated_at: now })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'report',
        entityId: row.id,
        action: 'updated',
        summary: `Changed the commentary on ${theme.title}`,
        before: { commentary: before?.text ?? '' },
        after: { commentary: values.commentary },
      });
    });
  }

  /** Freezes the draft as it reads now: its figures no longer follow the data. */
  async issue(actor: Actor, slug: string, reportId: number, input: unknown = {}): Promise<void> {
    const { version } = parseInput(z.object({ version: versionField }), input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.draftFor(actor, slug, reportId, trx, version);
      const issuedAt = nowIso();
      const edition: ReportEdition = {
        status: 'issued',
        version: row.issue_number,
        issuedAt,
        issuedBy: actor.label,
      };
      const report = await this.build(
        p,
        this.partsOf(row, await commentaryOf(trx, row.id), edition),
        trx,
      );
      if (lacksData(report)) throw fieldError('form', reportMessages.noData);
      await trx
        .updateTable('reports')
        .set({
          status: 'issued',
          snapshot: JSON.stringify(report),
          issued_at: issuedAt,
          issued_by_label: actor.label,
          version: row.version + 1,
          updated_at: issuedAt,
        })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'report',
        entityId: row.id,
        action: 'updated',
        summary: `Issued version ${row.issue_number} of the exception report for ${longWindowLabel(report.currentWindow)}`,
      });
    });
  }

  /** A draft of the next version, with the issued report's header, introduction and commentary. */
  async newVersion(actor: Actor, slug: string, reportId: number): Promise<{ id: number }> {
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const row = await findReportRow(trx, p.id, reportId);
      if (row.status !== 'issued' || row.snapshot === null) {
        throw fieldError('form', 'Only an issued report can have a new version');
      }
      const existing = await reportsOf(trx, row.plan_id, row.period_end);
      if (existing.some((r) => r.status === 'draft')) {
        throw fieldError('form', reportMessages.draftExists);
      }
      const issued = JSON.parse(row.snapshot) as ExceptionReport;
      const now = nowIso();
      const draft = await trx
        .insertInto('reports')
        .values({
          partnership_id: p.id,
          plan_id: row.plan_id,
          period_end: row.period_end,
          status: 'draft',
          issue_number: existing.length + 1,
          to_text: row.to_text,
          report_date: this.today(),
          subject: row.subject,
          by_text: row.by_text,
          introduction: row.introduction,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const themes = await trx
        .selectFrom('themes')
        .select('id')
        .where('plan_id', '=', row.plan_id)
        .execute();
      const stillThere = new Set(themes.map((t) => t.id));
      const commentary = issued.themes
        .filter((t) => t.commentary && stillThere.has(t.id))
        .map((t) => ({
          report_id: draft.id,
          theme_id: t.id,
          text: t.commentary,
          updated_at: now,
          updated_by_label: actor.label,
        }));
      if (commentary.length) await trx.insertInto('report_commentary').values(commentary).execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'report',
        entityId: draft.id,
        action: 'created',
        summary: `Started version ${existing.length + 1} of the exception report for ${longWindowLabel(rollingYear(row.period_end))}`,
      });
      return { id: draft.id };
    });
  }

  /** Deletes a draft; issued reports are kept. */
  async deleteDraft(actor: Actor, slug: string, reportId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.draftFor(actor, slug, reportId, trx);
      await trx.deleteFrom('reports').where('id', '=', row.id).execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'report',
        entityId: row.id,
        action: 'deleted',
        summary: `Deleted the draft exception report for ${longWindowLabel(rollingYear(row.period_end))}`,
      });
    });
  }

  private checkPeriodEnd(periodEnd: string): void {
    if (isFutureMonth(periodEnd, this.today())) {
      throw fieldError('periodEnd', reportMessages.periodFuture);
    }
  }

  private async load(actor: Actor, p: PartnershipRow, row: ReportRow): Promise<SavedReport> {
    const [planRow, period] = await Promise.all([
      findPlanRow(this.db, p.id, row.plan_id),
      reportsOf(this.db, row.plan_id, row.period_end),
    ]);
    let report: ExceptionReport;
    if (row.snapshot !== null) {
      report = JSON.parse(row.snapshot) as ExceptionReport;
    } else {
      const edition: ReportEdition = {
        status: 'draft',
        version: row.issue_number,
        issuedAt: null,
        issuedBy: null,
      };
      report = await this.build(p, this.partsOf(row, await commentaryOf(this.db, row.id), edition));
    }
    return {
      ...summaryOf(row, toSummary(planRow)),
      version: row.version,
      draftId: period.find((r) => r.status === 'draft')?.id ?? null,
      canManage: canManagePartnership(actor, p),
      report,
      noData: await this.noDataFor(report),
    };
  }

  /** What a report with no figures at all lacks; null when it has figures. */
  async noDataFor(report: ExceptionReport): Promise<NoData | null> {
    if (!lacksData(report)) return null;
    const ids = [...new Set(report.themes.flatMap((t) => t.indicators.map((i) => i.id)))];
    const figures = await loadFigures(this.db, ids);
    let latest: string | null = null;
    for (const f of figures.values()) {
      for (const m of [...f.months.map((x) => x.month), ...f.totals.map((x) => x.endMonth)]) {
        if (latest === null || compareMonths(m, latest) > 0) latest = m;
      }
    }
    return {
      indicators: [...new Set(report.themes.flatMap((t) => t.indicators.map((i) => i.name)))],
      latestMonth: latest,
    };
  }

  private partsOf(row: ReportRow, commentary: Map<number, string>, edition: ReportEdition) {
    return {
      planId: row.plan_id,
      periodEnd: row.period_end,
      header: headerOf(row),
      introduction: row.introduction,
      commentary,
      edition,
    };
  }

  private async build(
    p: PartnershipRow,
    parts: ReturnType<ReportsService['partsOf']>,
    db: DbOrTrx = this.db,
  ): Promise<ExceptionReport> {
    const updatesUpTo = monthOf(parts.header.date);
    const planRow = await findPlanRow(db, p.id, parts.planId);
    const [plan, indicators] = await Promise.all([
      loadPlan(db, planRow, updatesUpTo),
      this.indicators.withFiguresFor(db, p.id),
    ]);
    // Only a report with an indicator filled from police.uk data looks at the crime import.
    const crimeFlagged = indicators.some((i) => i.crimeType)
      ? await crimeFlags(db, await partnershipDistricts(db, p.id))
      : new Map<string, string>();
    return buildExceptionReport({
      partnership: { slug: p.slug, name: p.name },
      plan,
      indicators,
      crimeFlags: crimeFlagged,
      updatesUpTo,
      ...parts,
    });
  }

  /** The draft, for a coordinator; a stale `version` is someone else's change since. */
  private async draftFor(
    actor: Actor,
    slug: string,
    reportId: number,
    trx: DbOrTrx,
    version?: number,
  ): Promise<{ p: PartnershipRow; row: ReportRow }> {
    const p = await this.partnerships.manageable(actor, slug, trx);
    const row = await findReportRow(trx, p.id, reportId);
    if (row.status !== 'draft') throw fieldError('form', reportMessages.notDraft);
    if (version !== undefined && version !== row.version) {
      throw conflictError(
        'form',
        reportMessages.conflict,
        `The report has changed since version ${version}; it is now version ${row.version}.`,
      );
    }
    return { p, row };
  }
}
