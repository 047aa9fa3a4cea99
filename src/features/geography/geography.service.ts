import type { Actor } from '../../core/actor.js';
import { ForbiddenError } from '../../core/errors.js';
import { describeProblem, FileError, type FileProblem } from '../../core/grid-file.js';
import type { Db } from '../../db/database.js';
import {
  areaCounts,
  completedImports,
  insertImport,
  writeLookup,
  writePopulation,
  type AreaCount,
  type ImportSummary,
} from './geography.repository.js';
import { readLookupFile, type LookupFile } from './lookup-file.js';
import { readPopulationFile } from './population-file.js';

export interface NamedFile {
  filename: string;
  content: Buffer;
}

export interface LookupImported {
  filename: string;
  title: string;
  rows: number;
  districts: number;
}

export interface PopulationImported {
  title: string;
  published: string;
  years: number[];
  areas: number;
}

export interface PublicDataOverview {
  lookups: ImportSummary[];
  population: ImportSummary[];
  areas: AreaCount[];
  canImport: boolean;
}

/**
 * ONS geography and population: public reference data every partnership shares. Anyone signed
 * in reads it; system administrators and partnership coordinators import it.
 */
export class GeographyService {
  constructor(private readonly db: Db) {}

  canImport(actor: Actor): boolean {
    return actor.isAdmin || [...actor.roles.values()].includes('coordinator');
  }

  private checkImport(actor: Actor): void {
    if (!this.canImport(actor)) {
      throw new ForbiddenError(
        'Only system administrators and partnership coordinators can import public data',
      );
    }
  }

  async overview(actor: Actor): Promise<PublicDataOverview> {
    const [lookups, population, areas] = await Promise.all([
      completedImports(this.db, 'geography'),
      completedImports(this.db, 'population'),
      areaCounts(this.db),
    ]);
    return { lookups, population, areas, canImport: this.canImport(actor) };
  }

  /**
   * Imports ONS lookup files, all or none: every file is read and checked before anything is
   * written, and a problem in any of them names the file, row and column.
   */
  async importLookups(actor: Actor, files: NamedFile[]): Promise<LookupImported[]> {
    this.checkImport(actor);
    const read: { filename: string; lookup: LookupFile }[] = [];
    const problems: FileProblem[] = [];
    for (const f of files) {
      try {
        read.push({ filename: f.filename, lookup: readLookupFile(f.content) });
      } catch (err) {
        if (!(err instanceof FileError)) throw err;
        problems.push(
          ...err.problems.map((p) =>
            files.length > 1 ? { message: `${f.filename}: ${describeProblem(p)}` } : p,
          ),
        );
      }
    }
    if (problems.length) throw new FileError(problems);
    await this.db.transaction().execute(async (trx) => {
      for (const { filename, lookup } of read) {
        await writeLookup(trx, lookup);
        await insertImport(trx, {
          kind: 'geography',
          title: lookup.title,
          release: '',
          filenames: [filename],
          summary: {
            rows: lookup.rows,
            districts: lookup.districts.length,
            lsoas: lookup.lsoaWards.length,
            links: lookup.links.length,
          },
          byLabel: actor.label,
        });
      }
    });
    return read.map(({ filename, lookup }) => ({
      filename,
      title: lookup.title,
      rows: lookup.rows,
      districts: lookup.districts.length,
    }));
  }

  /** Imports a mid-year estimates workbook; importing the same release again replaces it. */
  async importPopulation(actor: Actor, file: NamedFile): Promise<PopulationImported> {
    this.checkImport(actor);
    const population = await readPopulationFile(file.content);
    await this.db
      .transaction()
      .execute((trx) => writePopulation(trx, population, file.filename, actor.label));
    return {
      title: population.title,
      published: population.published,
      years: population.years,
      areas: new Set(population.estimates.map((e) => e.code)).size,
    };
  }
}
