import type { Actor } from '../../core/actor.js';
import { fieldError } from '../../core/form-errors.js';
import { FileError, type FileProblem } from '../../core/grid-file.js';
import type { UploadedFile } from '../../core/upload-routes.js';
import { todayIso, type Db, type DbOrTrx } from '../../db/database.js';
import type { Polarity } from '../../domain/change.js';
import type { IndicatorCrimeType } from '../../domain/crime-types.js';
import { parseFigure, type Unit } from '../../domain/figures.js';
import { toCsv, toXlsx } from '../../core/grid-export.js';
import { longWindowLabel, monthLabel, rollingYear } from '../../domain/periods.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  discardImport,
  findStagedImport,
  finishImport,
  stageImport,
} from '../imports/staged-imports.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import {
  inFileOrder,
  indicatorFileRows,
  readIndicatorFile,
  type IndicatorFile,
} from './indicator-file.js';
import {
  loadFigures,
  partnershipThemes,
  writeFigures,
  type FigureChange,
  type IndicatorTheme,
} from './indicators.repository.js';
import { crimeCounts, fillCrimeIndicator, partnershipDistricts } from './crime-indicators.js';
import { nameKey } from './indicators.schemas.js';
import { changeRecord, insertIndicator, type IndicatorsService } from './indicators.service.js';

export const importMessages = {
  fileMissing: 'Select the indicator file',
  themeUnknown: (title: string) =>
    `There is no theme called ${title} in the partnership’s plans: use a theme’s title as the plan gives it, or leave Theme blank`,
  notWhole: (name: string) => `Value must be a whole number: ${name} is a count`,
  crimeFilled: (name: string, month: string, count: string | null) =>
    `${name}’s figures are filled from police.uk data, which gives ${count === null ? 'no figure' : count} for ${month}: leave its rows out, or give its figures as they are`,
  crimeTotal: (name: string) =>
    `${name}’s figures are filled from police.uk data month by month, so it takes no 12-month totals`,
  crimeNotCount: (name: string) =>
    `Unit must be Count: ${name} follows police.uk crime data, which is counted`,
};

export const INDICATOR_FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export interface PreviewIndicator {
  name: string;
  isNew: boolean;
  /** For a new indicator: its details as they will be created. */
  unit: Unit;
  polarity: Polarity;
  source: string;
  noun: string;
  theme: IndicatorTheme | null;
  /** For a new indicator, the police.uk crime type its figures are filled from. */
  crimeType: IndicatorCrimeType | null;
  from: string;
  to: string;
  values: number;
  added: number;
  changed: number;
  unchanged: number;
}

/** Figures are months' values and 12-month totals alike; `totals` says how many are totals. */
export interface ImportCounts {
  indicators: number;
  newIndicators: number;
  values: number;
  totals: number;
  added: number;
  changed: number;
  unchanged: number;
}

export interface ImportPreview {
  id: number;
  filename: string;
  indicators: PreviewIndicator[];
  counts: ImportCounts;
}

export interface ImportResult {
  filename: string;
  counts: ImportCounts;
  createdIndicators: string[];
}

interface Plan {
  indicators: (PreviewIndicator & {
    id: number | null;
    changes: FigureChange[];
    totalChanges: FigureChange[];
  })[];
  counts: ImportCounts;
}

/** A file waits a day between its preview and its confirmation. */

/**
 * Imports indicator figures from a spreadsheet, all or nothing: a file with any bad row is
 * refused whole, every problem named by row and column, and nothing is saved. Indicators the
 * partnership does not have yet are created from the file's details. A month's figure in the
 * file replaces the one saved for that month; months the file leaves out are left alone.
 * Coordinators only. The web page previews first; the command line imports at once.
 */
export class IndicatorFilesService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
    private readonly indicators: IndicatorsService,
    private readonly today: () => string = () => todayIso(),
  ) {}

  /**
   * Every figure of the partnership's indicators, in the list's order, as a file in the columns
   * the import reads: importing it again changes nothing. Everyone in the partnership may.
   */
  async exportFile(
    actor: Actor,
    slug: string,
    format: 'csv' | 'xlsx',
  ): Promise<UploadedFile & { contentType: string; rows: number }> {
    const rows = indicatorFileRows(await this.indicators.listWithFigures(actor, slug));
    const name = `${slug}-indicators`;
    return format === 'csv'
      ? {
          filename: `${name}.csv`,
          contentType: INDICATOR_FILE_TYPES.csv,
          content: toCsv(rows),
          rows: rows.length,
        }
      : {
          filename: `${name}.xlsx`,
          rows: rows.length,
          contentType: INDICATOR_FILE_TYPES.xlsx,
          content: await toXlsx(rows, {
            sheet: 'Indicators',
            widths: [36, 10, 12, 28, 24, 12, 18, 14, 8, 24],
          }),
        };
  }

  async checkAccess(actor: Actor, slug: string): Promise<void> {
    await this.partnerships.manageable(actor, slug);
  }

  /** Reads and checks the file, keeps it for confirmation and says what it would change. */
  async preview(
    actor: Actor,
    slug: string,
    file: UploadedFile | undefined,
  ): Promise<ImportPreview> {
    const p = await this.partnerships.manageable(actor, slug);
    if (!file) throw fieldError('file', importMessages.fileMissing);
    const read = await readIndicatorFile(file.content, file.filename, this.today());
    const plan = await this.describe(this.db, p, read);
    const id = await stageImport(this.db, 'indicators', actor, p.id, file);
    return toPreview(id, file.filename, plan);
  }

  /** A previewed file, read again; or, once imported, its result. */
  async get(
    actor: Actor,
    slug: string,
    importId: number,
  ): Promise<{ preview: ImportPreview } | { result: ImportResult }> {
    const p = await this.partnerships.manageable(actor, slug);
    const row = await findStagedImport(this.db, 'indicators', actor, p.id, importId);
    if (row.result) return { result: row.result as ImportResult };
    const read = await readIndicatorFile(row.content, row.filename, this.today());
    return { preview: toPreview(row.id, row.filename, await this.describe(this.db, p, read)) };
  }

  /** Imports a previewed file. */
  async confirm(actor: Actor, slug: string, importId: number): Promise<ImportResult> {
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const row = await findStagedImport(trx, 'indicators', actor, p.id, importId);
      if (row.result) return row.result as ImportResult;
      const read = await readIndicatorFile(row.content, row.filename, this.today());
      const result = await this.write(trx, actor, p, row.filename, read);
      await finishImport(trx, row.id, result);
      return result;
    });
  }

  async discard(actor: Actor, slug: string, importId: number): Promise<void> {
    const p = await this.partnerships.manageable(actor, slug);
    const row = await findStagedImport(this.db, 'indicators', actor, p.id, importId);
    await discardImport(this.db, row.id);
  }

  /** Reads and imports in one step, for the command line. */
  async importFile(actor: Actor, slug: string, file: UploadedFile): Promise<ImportResult> {
    await this.partnerships.manageable(actor, slug);
    const read = await readIndicatorFile(file.content, file.filename, this.today());
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      return this.write(trx, actor, p, file.filename, read);
    });
  }

  /** The rules that need the database, and what the import would change. */
  private async describe(db: DbOrTrx, p: PartnershipRow, file: IndicatorFile): Promise<Plan> {
    const [existing, themes] = await Promise.all([
      db.selectFrom('indicators').selectAll().where('partnership_id', '=', p.id).execute(),
      partnershipThemes(db, p.id),
    ]);
    const byName = new Map(existing.map((r) => [nameKey(r.name), r]));
    // Latest plan first: a title several plans share means the latest plan's theme.
    const themeByTitle = new Map<string, IndicatorTheme>();
    for (const t of themes)
      if (!themeByTitle.has(nameKey(t.title))) themeByTitle.set(nameKey(t.title), t);
    const themeById = new Map(themes.map((t) => [t.id, t]));
    const figures = await loadFigures(
      db,
      existing.map((r) => r.id),
    );

    const problems: FileProblem[] = [...file.problems];
    // What police.uk data gives a new crime-data indicator, before it is made.
    const districts = await partnershipDistricts(db, p.id);
    const policeCounts = new Map<string, Map<string, string>>();
    for (const entry of file.indicators) {
      if (entry.crimeType && !byName.has(nameKey(entry.name)))
        policeCounts.set(entry.name, await crimeCounts(db, districts, entry.crimeType));
    }
    const indicators = file.indicators.map((entry) => {
      const row = byName.get(nameKey(entry.name));
      let theme: IndicatorTheme | null = null;
      if (!row && entry.theme) {
        theme = themeByTitle.get(nameKey(entry.theme.title)) ?? null;
        if (!theme) {
          problems.push({
            row: entry.theme.row,
            column: 'Theme',
            message: importMessages.themeUnknown(entry.theme.title),
          });
        }
      }
      const unit = (row?.unit as Unit | undefined) ?? entry.unit ?? 'count';
      const saved = row ? figures.get(row.id) : undefined;
      const had = new Map((saved?.months ?? []).map((f) => [f.month, f.value]));
      const hadTotals = new Map((saved?.totals ?? []).map((t) => [t.endMonth, t.value]));
      const changes: FigureChange[] = [];
      const totalChanges: FigureChange[] = [];
      let unchanged = 0;
      const crimeType = row ? row.crime_type : (entry.crimeType ?? null);
      // Figures filled from police.uk data may be given only as they are.
      const police = row ? had : policeCounts.get(entry.name);
      if (!row && crimeType && entry.unit && entry.unit !== 'count')
        problems.push({
          row: entry.row,
          column: 'Unit',
          message: importMessages.crimeNotCount(entry.name),
        });
      for (const v of entry.values) {
        const figure = parseFigure(v.text, unit);
        if (crimeType && !('error' in figure)) {
          if (v.months === 12) {
            problems.push({
              row: v.row,
              column: 'Months',
              message: importMessages.crimeTotal(entry.name),
            });
            continue;
          }
          const count = police?.get(v.month) ?? null;
          if (count === figure.value) unchanged += 1;
          else
            problems.push({
              row: v.row,
              column: 'Value',
              message: importMessages.crimeFilled(entry.name, monthLabel(v.month), count),
            });
          continue;
        }
        if ('error' in figure) {
          problems.push({
            row: v.row,
            column: 'Value',
            message: unit === 'count' ? importMessages.notWhole(entry.name) : figure.error,
          });
          continue;
        }
        const before = (v.months === 12 ? hadTotals : had).get(v.month) ?? null;
        if (before === figure.value) unchanged += 1;
        else
          (v.months === 12 ? totalChanges : changes).push({
            month: v.month,
            before,
            after: figure.value,
          });
      }
      const all = [...changes, ...totalChanges];
      const months = entry.values.map((v) => v.month).sort();
      return {
        id: row?.id ?? null,
        name: row?.name ?? entry.name,
        isNew: !row,
        unit,
        polarity: (row?.polarity as Polarity | undefined) ?? entry.polarity ?? 'neutral',
        source: row?.source ?? entry.source ?? '',
        noun: row?.noun ?? entry.noun ?? '',
        theme: row ? (row.theme_id === null ? null : (themeById.get(row.theme_id) ?? null)) : theme,
        crimeType: row ? null : (entry.crimeType ?? null),
        from: months[0] ?? '',
        to: months.at(-1) ?? '',
        values: entry.values.length,
        added: all.filter((c) => c.before === null).length,
        changed: all.filter((c) => c.before !== null).length,
        unchanged,
        changes: changes.sort((a, b) => a.month.localeCompare(b.month)),
        totalChanges: totalChanges.sort((a, b) => a.month.localeCompare(b.month)),
      };
    });
    if (problems.length) {
      throw new FileError(inFileOrder(problems).slice(0, 100));
    }
    const sum = (key: 'values' | 'added' | 'changed' | 'unchanged') =>
      indicators.reduce((n, i) => n + i[key], 0);
    return {
      indicators,
      counts: {
        indicators: indicators.length,
        newIndicators: indicators.filter((i) => i.isNew).length,
        values: sum('values'),
        totals: file.indicators.reduce(
          (n, i) => n + i.values.filter((v) => v.months === 12).length,
          0,
        ),
        added: sum('added'),
        changed: sum('changed'),
        unchanged: sum('unchanged'),
      },
    };
  }

  private async write(
    trx: DbOrTrx,
    actor: Actor,
    p: PartnershipRow,
    filename: string,
    file: IndicatorFile,
  ): Promise<ImportResult> {
    const plan = await this.describe(trx, p, file);
    const created: string[] = [];
    for (const i of plan.indicators) {
      let id = i.id;
      if (id === null) {
        const row = await insertIndicator(
          trx,
          actor,
          p.id,
          {
            name: i.name,
            source: i.source,
            unit: i.unit,
            noun: i.noun,
            polarity: i.polarity,
            notes: '',
            themeId: i.theme?.id,
            crimeType: i.crimeType,
          },
          `Created the indicator ${i.name}, imported from ${filename}`,
        );
        await fillCrimeIndicator(trx, actor, row);
        id = row.id;
        created.push(i.name);
      }
      if (i.changes.length > 0) {
        await writeFigures(trx, id, 1, i.changes, actor.label);
        await recordAudit(trx, actor, {
          partnershipId: p.id,
          entityType: 'indicator',
          entityId: id,
          action: 'updated',
          summary: `Imported ${i.changes.length === 1 ? 'a monthly value' : `${i.changes.length} monthly values`} of ${i.name} from ${filename} (${monthLabel(i.changes[0]?.month ?? i.from)} to ${monthLabel(i.changes.at(-1)?.month ?? i.to)}): ${counted(i.changes)}`,
          ...changeRecord(i.changes),
        });
      }
      if (i.totalChanges.length > 0) {
        const totals = i.totalChanges;
        await writeFigures(trx, id, 12, totals, actor.label);
        // Keyed by the last month, under "totals", as the 12-month total form audits them.
        const record = changeRecord(totals);
        await recordAudit(trx, actor, {
          partnershipId: p.id,
          entityType: 'indicator',
          entityId: id,
          action: 'updated',
          summary: `Imported ${totals.length === 1 ? 'a 12-month total' : `${totals.length} 12-month totals`} of ${i.name} from ${filename} (${totals.map((c) => longWindowLabel(rollingYear(c.month))).join('; ')}): ${counted(totals)}`,
          before: { totals: record.before },
          after: { totals: record.after },
        });
      }
    }
    return { filename, counts: plan.counts, createdIndicators: created };
  }
}

/** "2 added, 1 changed". */
function counted(changes: FigureChange[]): string {
  const added = changes.filter((c) => c.before === null).length;
  return `${added} added, ${changes.length - added} changed`;
}

function toPreview(id: number, filename: string, plan: Plan): ImportPreview {
  return {
    id,
    filename,
    counts: plan.counts,
    indicators: plan.indicators.map(
      ({ id: _id, changes: _changes, totalChanges: _totals, ...rest }) => rest,
    ),
  };
}
