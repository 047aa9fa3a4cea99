import { canManagePartnership, type Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { conflictError, fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, todayIso, type Db, type DbOrTrx } from '../../db/database.js';
import {
  financialYearLabel,
  financialYearOf,
  financialYearWindow,
  longWindowLabel,
  windowLastDay,
  type MonthWindow,
} from '../../domain/periods.js';
import { recordAudit } from '../audit/audit.service.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import { buildFigures, type Area, type AssessmentFigures } from './assessment-figures.js';
import { GLOSSARY } from './assessment-glossary.js';
import {
  assessmentForPeriod,
  assessmentsOf,
  currentPlanThemes,
  findAssessmentRow,
  loadLocal,
  loadNational,
  overviewsOf,
  partnershipDistricts,
  populationsOf,
  releaseName,
  wardsOf,
  type NationalData,
} from './assessments.repository.js';
import {
  assessmentMessages,
  peersSchema,
  periodSchema,
  SECTIONS,
  sectionSchema,
  type SectionKey,
} from './assessments.schemas.js';
import type { AssessmentRow } from './assessments.table.js';

export interface AssessmentSummary {
  id: number;
  window: MonthWindow;
  title: string;
  periodLabel: string;
  updatedAt: string;
  updatedBy: string;
}

export interface Overview {
  themeId: number;
  type: string;
  title: string;
  text: string;
}

/** The whole document: the words written for it around the figures of its period. */
export interface AssessmentDocument {
  partnership: { slug: string; name: string };
  title: string;
  periodLabel: string;
  window: MonthWindow;
  /** The saved record; null when none has been started (the figures stand alone). */
  record: { id: number; version: number; updatedAt: string; updatedBy: string } | null;
  canEdit: boolean;
  plan: { id: number; title: string; periodLabel: string } | null;
  sections: Record<SectionKey, string>;
  overviews: Overview[];
  peers: Area[];
  figures: AssessmentFigures;
}

/** "2021/22" for a financial year; otherwise "January 2021 to December 2021". */
export function periodName(window: MonthWindow): string {
  const fy = financialYearOf(`${window.from}-01`);
  const w = financialYearWindow(fy);
  return w.from === window.from && w.to === window.to
    ? financialYearLabel(fy)
    : longWindowLabel(window);
}

const titleFor = (name: string, window: MonthWindow) =>
  `${name} strategic assessment ${periodName(window)}`;

const parsePeers = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/**
 * Annual strategic assessments. Members of a partnership (and its county's coordinators) read
 * them; its coordinators start them, write their sections and choose the peer group. The figures
 * are never stored: they are worked out from the imported counts each time, so corrected data
 * shows at once.
 */
export class AssessmentsService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
    private readonly today: () => string = () => todayIso(),
  ) {}

  async list(actor: Actor, slug: string): Promise<AssessmentSummary[]> {
    const p = await this.partnerships.readable(actor, slug);
    return (await assessmentsOf(this.db, p.id)).map((r) => ({
      id: r.id,
      window: { from: r.period_from, to: r.period_to },
      title: titleFor(p.name, { from: r.period_from, to: r.period_to }),
      periodLabel: periodName({ from: r.period_from, to: r.period_to }),
      updatedAt: r.updated_at,
      updatedBy: r.updated_by_label,
    }));
  }

  /** The period a form or option names, refused when it has not ended yet. */
  periodOf(input: unknown): MonthWindow {
    const window = parseInput(periodSchema, input);
    if (windowLastDay(window) >= this.today()) {
      throw fieldError('year', assessmentMessages.periodFuture);
    }
    return window;
  }

  /** The financial year a new assessment is offered for: the latest that has ended. */
  suggestedYear(): string {
    const fy = financialYearOf(this.today());
    return financialYearLabel({ start: fy.start - 1 });
  }

  /** A new assessment, or the one already started for the period. */
  async start(actor: Actor, slug: string, input: unknown): Promise<{ id: number }> {
    const window = this.periodOf(input);
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const existing = await assessmentForPeriod(trx, p.id, window.from);
      if (existing) return { id: existing.id };
      const figures = await this.figuresFor(trx, p, window, []);
      const now = nowIso();
      const row = await trx
        .insertInto('assessments')
        .values({
          partnership_id: p.id,
          period_from: window.from,
          period_to: window.to,
          data_sources: figures.sources.join('\n\n'),
          glossary: GLOSSARY,
          created_at: now,
          updated_at: now,
          updated_by_label: actor.label,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'assessment',
        entityId: row.id,
        action: 'created',
        summary: `Started the strategic assessment for ${periodName(window)}`,
      });
      return { id: row.id };
    });
  }

  async get(actor: Actor, slug: string, id: number): Promise<AssessmentDocument> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findAssessmentRow(this.db, p.id, id);
    return this.document(actor, p, { from: row.period_from, to: row.period_to }, row);
  }

  /** The assessment of a period, saved or not: without a record its sections are empty. */
  async forPeriod(actor: Actor, slug: string, input: unknown): Promise<AssessmentDocument> {
    const window = this.periodOf(input);
    const p = await this.partnerships.readable(actor, slug);
    const row = await assessmentForPeriod(this.db, p.id, window.from);
    return this.document(actor, p, window, row ?? null);
  }

  /** The figures alone, for the API. */
  async figures(actor: Actor, slug: string, input: unknown): Promise<AssessmentFigures> {
    const window = this.periodOf(input);
    const p = await this.partnerships.readable(actor, slug);
    const row = await assessmentForPeriod(this.db, p.id, window.from);
    return this.figuresFor(this.db, p, window, row ? parsePeers(row.peers) : []);
  }

  /**
   * Every partnership's figures for a period, reading what they share once: the national
   * picture and the peer ranks come from the same rows.
   */
  async figuresForAll(actor: Actor, input: unknown): Promise<AssessmentFigures[]> {
    const window = this.periodOf(input);
    const list = await this.partnerships.listFor(actor);
    const national = await loadNational(this.db, window);
    const out: AssessmentFigures[] = [];
    for (const s of list) {
      const p = await this.partnerships.readable(actor, s.slug);
      out.push(await this.figuresFor(this.db, p, window, [], national));
    }
    return out;
  }

  async saveSection(
    actor: Actor,
    slug: string,
    id: number,
    section: SectionKey,
    input: unknown,
  ): Promise<void> {
    const { text, version } = parseInput(sectionSchema, input);
    const { column, title } = SECTIONS[section];
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.editable(actor, slug, id, trx, version);
      if (row[column] === text) return;
      await trx
        .updateTable('assessments')
        .set({
          [column]: text,
          version: row.version + 1,
          updated_at: nowIso(),
          updated_by_label: actor.label,
        })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'assessment',
        entityId: row.id,
        action: 'updated',
        summary: `Changed the assessment’s ${title.toLowerCase()}`,
        before: { [section]: row[column] },
        after: { [section]: text },
      });
    });
  }

  async saveOverview(
    actor: Actor,
    slug: string,
    id: number,
    themeId: number,
    input: unknown,
  ): Promise<void> {
    const { text, version } = parseInput(sectionSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.editable(actor, slug, id, trx, version);
      const { themes } = await currentPlanThemes(trx, p.id, windowLastDay(this.windowOf(row)));
      const theme = themes.find((t) => t.id === themeId);
      if (!theme) throw new NotFoundError('Priority');
      const before = (await overviewsOf(trx, row.id)).get(theme.id) ?? '';
      if (before === text) return;
      const now = nowIso();
      await trx
        .deleteFrom('assessment_overviews')
        .where('assessment_id', '=', row.id)
        .where('theme_id', '=', theme.id)
        .execute();
      if (text) {
        await trx
          .insertInto('assessment_overviews')
          .values({
            assessment_id: row.id,
            theme_id: theme.id,
            text,
            updated_at: now,
            updated_by_label: actor.label,
          })
          .execute();
      }
      await trx
        .updateTable('assessments')
        .set({ version: row.version + 1, updated_at: now, updated_by_label: actor.label })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'assessment',
        entityId: row.id,
        action: 'updated',
        summary: `Changed the assessment’s overview of ${theme.title}`,
        before: { overview: before },
        after: { overview: text },
      });
    });
  }

  /** Every district the peer group can be chosen from, with a name. */
  async peerChoices(actor: Actor, slug: string): Promise<Area[]> {
    await this.partnerships.readable(actor, slug);
    const rows = await this.db
      .selectFrom('geo_areas')
      .select(['code', 'name', 'vintage'])
      .where('type', '=', 'district')
      .orderBy('vintage')
      .execute();
    const byCode = new Map(rows.map((r) => [r.code, r.name]));
    return [...byCode]
      .map(([code, name]) => ({ code, name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async savePeers(actor: Actor, slug: string, id: number, input: unknown): Promise<void> {
    const { peers, version } = parseInput(peersSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.editable(actor, slug, id, trx, version);
      const known = new Set(
        (
          await trx.selectFrom('geo_areas').select('code').where('type', '=', 'district').execute()
        ).map((r) => r.code),
      );
      const chosen = [...new Set(peers)].sort();
      if (chosen.some((c) => !known.has(c))) {
        throw fieldError('peers', assessmentMessages.peerMissing);
      }
      const before = parsePeers(row.peers);
      await trx
        .updateTable('assessments')
        .set({
          peers: JSON.stringify(chosen),
          version: row.version + 1,
          updated_at: nowIso(),
          updated_by_label: actor.label,
        })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'assessment',
        entityId: row.id,
        action: 'updated',
        summary: 'Changed the assessment’s peer group',
        before: { peers: before },
        after: { peers: chosen },
      });
    });
  }

  /** The partnership's districts, their wards by vintage, and every release's populations. */
  async geography(actor: Actor, slug: string) {
    const p = await this.partnerships.readable(actor, slug);
    const districts = await partnershipDistricts(this.db, p.id);
    const codes = districts.map((d) => d.code);
    const [wards, populations] = await Promise.all([
      wardsOf(this.db, codes),
      populationsOf(this.db, codes),
    ]);
    return {
      partnership: { slug: p.slug, name: p.name },
      districts: districts.map((d) => {
        const vintages = [
          ...new Set(wards.filter((w) => w.district === d.code).map((w) => w.vintage)),
        ];
        return {
          ...d,
          wardSets: vintages.map((vintage) => ({
            vintage,
            wards: wards
              .filter((w) => w.district === d.code && w.vintage === vintage)
              .map((w) => ({ code: w.code, name: w.name })),
          })),
          population: populations
            .filter((r) => r.area_code === d.code)
            .map((r) => ({
              year: r.year,
              population: r.population,
              release: releaseName(r.title, r.release),
              importId: r.id,
            })),
        };
      }),
    };
  }

  private windowOf(row: AssessmentRow): MonthWindow {
    return { from: row.period_from, to: row.period_to };
  }

  private async figuresFor(
    db: DbOrTrx,
    p: PartnershipRow,
    window: MonthWindow,
    peers: string[],
    national?: NationalData,
  ): Promise<AssessmentFigures> {
    const districts = await partnershipDistricts(db, p.id);
    const codes = districts.map((d) => d.code);
    const [shared, local] = await Promise.all([
      national ?? loadNational(db, window),
      loadLocal(db, window, codes),
    ]);
    return buildFigures({
      partnership: { slug: p.slug, name: p.name, districts },
      ...shared,
      ...local,
      window,
      peers,
    });
  }

  private async document(
    actor: Actor,
    p: PartnershipRow,
    window: MonthWindow,
    row: AssessmentRow | null,
  ): Promise<AssessmentDocument> {
    const peerCodes = row ? parsePeers(row.peers) : [];
    const [figures, current, overviews, choices] = await Promise.all([
      this.figuresFor(this.db, p, window, peerCodes),
      currentPlanThemes(this.db, p.id, windowLastDay(window)),
      row ? overviewsOf(this.db, row.id) : Promise.resolve(new Map<number, string>()),
      peerCodes.length ? this.peerChoices(actor, p.slug) : Promise.resolve([]),
    ]);
    const names = new Map(choices.map((c) => [c.code, c.name]));
    return {
      partnership: { slug: p.slug, name: p.name },
      title: titleFor(p.name, window),
      periodLabel: periodName(window),
      window,
      record: row
        ? {
            id: row.id,
            version: row.version,
            updatedAt: row.updated_at,
            updatedBy: row.updated_by_label,
          }
        : null,
      canEdit: row !== null && canManagePartnership(actor, p),
      plan: current.plan,
      sections: {
        introduction: row?.introduction ?? '',
        progress: row?.progress ?? '',
        'plan-review': row?.plan_review ?? '',
        'data-sources': row?.data_sources ?? '',
        glossary: row?.glossary ?? '',
      },
      overviews: current.themes.map((t) => ({
        themeId: t.id,
        type: t.type,
        title: t.title,
        text: overviews.get(t.id) ?? '',
      })),
      peers: peerCodes
        .map((code) => ({ code, name: names.get(code) ?? code }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      figures,
    };
  }

  /** The record, for a coordinator; a stale `version` is someone else's change since. */
  private async editable(
    actor: Actor,
    slug: string,
    id: number,
    trx: DbOrTrx,
    version?: number,
  ): Promise<{ p: PartnershipRow; row: AssessmentRow }> {
    const p = await this.partnerships.manageable(actor, slug, trx);
    const row = await findAssessmentRow(trx, p.id, id);
    if (version !== undefined && version !== row.version) {
      throw conflictError(
        'form',
        assessmentMessages.conflict,
        `The assessment has changed since version ${version}; it is now version ${row.version}.`,
      );
    }
    return { p, row };
  }
}
