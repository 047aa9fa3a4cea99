import type { Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { Db, Trx } from '../../db/database.js';
import { parseMonth, PeriodError } from '../../domain/periods.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import { gatherCrimeFiles, type CrimeFile, type CrimeInput } from './crime-files.js';
import {
  ALIVE_EVERY_MS,
  cspYearOffences,
  districtCounts,
  findImport,
  finishImport,
  flagsForDistricts,
  insertImport,
  listImports,
  listMonths,
  markAlive,
  pfaRollingSeries,
  pfaRollingYear,
  reflagMonths,
  type AreaMonthCount,
  type CrimeMonth,
  type CspYearOffences,
  type DataImport,
  type RollingTotal,
} from './crime.repository.js';
import { importRecordedCrimeTable, type TableCounts } from './recorded-crime.js';
import type { ImportProgress } from './street-count.js';
import { withStreetCounts, type StreetCounts } from './street-import.js';

export type { ImportProgress } from './street-count.js';

/** What an import found, as kept in data_imports.summary and printed by the command line. */
export interface CrimeImportSummary {
  files: number;
  /** Files in folders and archives that were not read (outcomes, stop and search). */
  skipped: string[];
  records: number;
  months: (StreetCounts['months'][number] & { flag: string | null })[];
  areas: { districts: number; wards: number };
  unassigned: {
    noLocation: number;
    unknownLsoa: number;
    unknownLsoaCodes: StreetCounts['unknownLsoaCodes'];
  };
  /** Months flagged as incomplete after this import, the neighbours judged again included. */
  flaggedMonths: { force: string; month: string; reason: string }[];
  /** Months whose flag this import lifted (a neighbour arrived and the month now fits). */
  unflaggedMonths: { force: string; month: string }[];
  unknownTypes: StreetCounts['unknownTypes'];
  tables: TableCounts[];
}

export interface AreaCrime {
  districtCodes: string[];
  from: string;
  to: string;
  counts: AreaMonthCount[];
  /** Months of the forces reaching the area that look incomplete, with the reason. */
  flaggedMonths: { force: string; month: string; flag: string }[];
}

/** Called after an import has committed, with its id and summary. */
export type ImportListener = (
  importId: number,
  summary: CrimeImportSummary,
) => Promise<void> | void;

/** Anyone who runs a partnership may load public crime data; everyone signed in reads it. */
export function canImportCrime(actor: Actor): boolean {
  return actor.isAdmin || [...actor.roles.values()].includes('coordinator');
}

const kindOf = (files: readonly CrimeFile[]): string =>
  files.some((f) => f.layout === 'street') || files.length === 0 ? 'crime' : 'recorded-crime';

export class CrimeService {
  private readonly listeners: ImportListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  /** Runs `listener` after every import that commits (indicators filled from crime data, say). */
  onImported(listener: ImportListener): void {
    this.listeners.push(listener);
  }

  /** Records an import as running and returns its id; run it with `runImport`. */
  async startImport(actor: Actor, filenames: readonly string[]): Promise<number> {
    if (!canImportCrime(actor)) {
      throw new ForbiddenError(
        'Only system administrators and partnership coordinators can import crime data',
      );
    }
    return insertImport(this.db, 'crime', filenames, actor.label);
  }

  /**
   * Reads every file (CSVs, folders, zips), then writes all their counts in one transaction:
   * either all of it is saved or none. A failure is recorded on the import and thrown.
   */
  async runImport(
    importId: number,
    inputs: readonly CrimeInput[],
    onProgress: (p: ImportProgress) => void = () => undefined,
  ): Promise<CrimeImportSummary> {
    let summary: CrimeImportSummary;
    // Kept with the import, so every server shows it. On SQLite a sign made while the counts
    // are written waits for their transaction; finishing the import, queued after it, clears it.
    let signed = 0;
    let stage: ImportProgress['stage'] | undefined;
    const progress = (p: ImportProgress) => {
      onProgress(p);
      if (p.stage === stage && Date.now() - signed < ALIVE_EVERY_MS) return;
      signed = Date.now();
      stage = p.stage;
      // A missed sign only risks the import looking stopped much later: never fail it for one.
      markAlive(this.db, importId, p).catch(() => undefined);
    };
    try {
      const gathered = await gatherCrimeFiles(inputs);
      try {
        summary = await this.importGathered(importId, gathered.files, gathered.skipped, progress);
      } finally {
        await gathered.cleanup();
      }
    } catch (err) {
      await finishImport(this.db, importId, {
        status: 'failed',
        error: err instanceof Error ? err.message : String(err),
      });
      throw err;
    }
    // The import has committed: a listener that fails does not undo it.
    for (const listener of this.listeners) await listener(importId, summary);
    return summary;
  }

  /** Starts and runs an import in one go, as the command line does. */
  async importFiles(
    actor: Actor,
    paths: readonly string[],
    onProgress?: (p: ImportProgress) => void,
  ): Promise<{ importId: number; summary: CrimeImportSummary }> {
    const importId = await this.startImport(actor, paths);
    return { importId, summary: await this.runImport(importId, paths, onProgress) };
  }

  private async importGathered(
    importId: number,
    files: CrimeFile[],
    skipped: string[],
    onProgress: (p: ImportProgress) => void,
  ): Promise<CrimeImportSummary> {
    const street = files.filter((f) => f.layout === 'street');
    const tables = files.filter((f) => f.layout !== 'street');
    const commit = async (write?: (trx: Trx) => Promise<StreetCounts>) =>
      this.db.transaction().execute(async (trx) => {
        const counts = write ? await write(trx) : undefined;
        const forces = [...new Set((counts?.months ?? []).map((m) => m.force))];
        const changed = await reflagMonths(trx, forces);
        const tableCounts: TableCounts[] = [];
        for (const table of tables)
          tableCounts.push(await importRecordedCrimeTable(trx, table, importId));
        const months = counts?.months ?? [];
        const flagOf = new Map(
          (await listMonths(trx))
            .filter((m) => forces.includes(m.force))
            .map((m) => [`${m.force}|${m.month}`, m.flag]),
        );
        const summary: CrimeImportSummary = {
          files: files.length,
          skipped,
          records: counts?.records ?? 0,
          months: months.map((m) => ({ ...m, flag: flagOf.get(`${m.force}|${m.month}`) ?? null })),
          areas: { districts: counts?.districts ?? 0, wards: counts?.wards ?? 0 },
          unassigned: {
            noLocation: months.reduce((s, m) => s + m.noLocation, 0),
            unknownLsoa: months.reduce((s, m) => s + m.unknownLsoa, 0),
            unknownLsoaCodes: counts?.unknownLsoaCodes ?? [],
          },
          flaggedMonths: [...flagOf]
            .filter(([, flag]) => flag !== null)
            .map(([key, flag]) => {
              const [force = '', month = ''] = key.split('|');
              return { force, month, reason: flag ?? '' };
            })
            .filter(
              (f) =>
                months.some((m) => m.force === f.force && m.month === f.month) ||
                changed.some((c) => c.force === f.force && c.month === f.month),
            ),
          unflaggedMonths: changed
            .filter((c) => c.flag === null)
            .map(({ force, month }) => ({ force, month })),
          unknownTypes: counts?.unknownTypes ?? [],
          tables: tableCounts,
        };
        await finishImport(trx, importId, { kind: kindOf(files), status: 'complete', summary });
        return summary;
      });
    if (street.length === 0) return commit();
    return withStreetCounts(this.db, street, onProgress, (write) =>
      commit((trx) => write(trx, importId)),
    );
  }

  async import(id: number): Promise<DataImport> {
    const found = await findImport(this.db, id);
    if (!found) throw new NotFoundError('Import');
    return found;
  }

  async imports(limit = 50): Promise<DataImport[]> {
    return listImports(this.db, limit);
  }

  /** The months loaded, per force, with their flags. */
  async months(force?: string): Promise<CrimeMonth[]> {
    return listMonths(this.db, force);
  }

  /** Counts by month and crime type for the districts together, with the flagged months. */
  async countsForDistricts(
    districtCodes: readonly string[],
    from: string,
    to: string,
  ): Promise<AreaCrime> {
    const codes = [...new Set(districtCodes)].sort();
    return {
      districtCodes: codes,
      from,
      to,
      counts: await districtCounts(this.db, codes, from, to),
      flaggedMonths: await flagsForDistricts(this.db, codes, from, to),
    };
  }

  /** A partnership's area (its districts): 404 for a partnership the actor cannot read. */
  async countsForPartnership(
    actor: Actor,
    slug: string,
    from: string,
    to: string,
  ): Promise<AreaCrime> {
    for (const m of [from, to]) {
      try {
        parseMonth(m);
      } catch (err) {
        if (err instanceof PeriodError) throw new PeriodError(`${err.message} (${m})`);
        throw err;
      }
    }
    const partnership = await this.partnerships.readable(actor, slug);
    const areas = await this.db
      .selectFrom('partnership_areas')
      .select('gss_code')
      .where('partnership_id', '=', partnership.id)
      .execute();
    return this.countsForDistricts(
      areas.map((a) => a.gss_code),
      from,
      to,
    );
  }

  /** A force area's offences in the 12 months ending periodEnd (one period: never summed). */
  async pfaRollingYear(pfa: string, periodEnd: string): Promise<RollingTotal[]> {
    return pfaRollingYear(this.db, pfa, periodEnd);
  }

  async pfaRollingSeries(pfa: string, offence: string): Promise<RollingTotal[]> {
    return pfaRollingSeries(this.db, pfa, offence);
  }

  async cspYearOffences(cspName: string, financialYear: string): Promise<CspYearOffences[]> {
    return cspYearOffences(this.db, cspName, financialYear);
  }
}
