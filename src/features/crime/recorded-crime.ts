/**
 * Home Office police recorded crime: the table by police force area (rolling 12-month totals)
 * and the table by community safety partnership (offences per financial quarter). Files are
 * read as streams and written in chunks with the caller's transaction; any bad row stops the
 * import, naming the file, line and column.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { DbOrTrx } from '../../db/database.js';
import {
  financialYearLabel,
  monthEnd,
  parseFinancialYear,
  PeriodError,
} from '../../domain/periods.js';
import { CrimeFileError, type CrimeFile } from './crime-files.js';

const CHUNK_ROWS = 500;
const MAX_PROBLEMS = 20;

export interface TableCounts {
  file: string;
  layout: 'pfa' | 'csp';
  rows: number;
  /** Period ends ('YYYY-MM-DD') for the force-area table; 'YYYY/YY Qn' for the CSP table. */
  periods: string[];
  areas: number;
}

/** Several bad rows of one file. */
export class CrimeTableError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${file}: ${problems.length === 1 ? 'a row is' : `${problems.length} rows are`} wrong, nothing was imported: ${problems.join('; ')}`,
    );
  }
}

/**
 * A '12 months ending' date written dd-mm-yyyy, as the quarter end it means. The published
 * table writes one period end as 30-12-2017; any day from the 28th of a quarter's last month
 * is read as that quarter's end.
 */
export function parsePeriodEnd(text: string): string {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text.trim());
  if (!m) throw new PeriodError('must be a date written dd-mm-yyyy, like 31-03-2018');
  const [, day = '', month = '', year = ''] = m;
  if (!['03', '06', '09', '12'].includes(month)) {
    throw new PeriodError('must be the end of a quarter (March, June, September or December)');
  }
  const end = monthEnd(`${year}-${month}`);
  if (Number(day) < 28 || Number(day) > Number(end.slice(8))) {
    throw new PeriodError(
      `must be the last day of a quarter, like ${end.slice(8)}-${month}-${year}`,
    );
  }
  return end;
}

// Published figures can be negative: offences recorded earlier and since cancelled or moved
// (Cheshire's 12 months to June 2007 has -1 deaths caused by illegal driving).
function parseCount(text: string): number {
  const t = text.trim().replaceAll(',', '');
  if (!/^-?\d+$/.test(t)) throw new PeriodError('must be a whole number of offences, like 1234');
  return Number(t);
}

async function* records(
  file: CrimeFile,
): AsyncGenerator<{ line: number; row: Record<string, string> }> {
  const parser = createReadStream(file.path).pipe(
    parse({
      bom: true,
      columns: false,
      relax_column_count: false,
      max_record_size: 64 * 1024,
      info: true,
    }),
  );
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!header) {
        header = record.map((c) => c.trim());
        continue;
      }
      if (record.every((c) => c.trim() === '')) continue;
      const row: Record<string, string> = {};
      header.forEach((name, i) => {
        row[name] = record[i] ?? '';
      });
      yield { line: info.lines, row };
    }
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new CrimeFileError(
      file.name,
      `the file is corrupt or cut short: ${e.message ?? String(err)}`,
      e.lines,
    );
  }
}

/** Imports one recorded-crime table, replacing the periods it covers. */
export async function importRecordedCrimeTable(
  trx: DbOrTrx,
  file: CrimeFile,
  importId: number,
): Promise<TableCounts> {
  if (file.layout === 'pfa') return importPfa(trx, file, importId);
  if (file.layout === 'csp') return importCsp(trx, file, importId);
  throw new CrimeFileError(file.name, 'this is not a recorded crime table');
}

function problemAt(line: number, column: string, err: unknown): string {
  return `line ${line}, column "${column}": ${err instanceof Error ? err.message : String(err)}`;
}

async function importPfa(trx: DbOrTrx, file: CrimeFile, importId: number): Promise<TableCounts> {
  type Row = {
    import_id: number;
    period_end: string;
    pfa: string;
    region: string;
    offence: string;
    rolling_total: number;
  };
  const problems: string[] = [];
  const periods = new Set<string>();
  const areas = new Set<string>();
  const seen = new Set<string>();
  const cleared = new Set<string>();
  let pending: Row[] = [];
  let rows = 0;
  // A period in the file replaces that period's rows, cleared as the period first appears.
  const flush = async () => {
    for (const p of new Set(pending.map((r) => r.period_end))) {
      if (!cleared.has(p)) {
        cleared.add(p);
        await trx.deleteFrom('recorded_crime_pfa').where('period_end', '=', p).execute();
      }
    }
    if (pending.length > 0) await trx.insertInto('recorded_crime_pfa').values(pending).execute();
    pending = [];
  };
  for await (const { line, row } of records(file)) {
    const need = (column: string): string => {
      const v = (row[column] ?? '').trim();
      if (v === '') throw new PeriodError('is blank');
      return v;
    };
    let periodEnd = '';
    let total = 0;
    let pfa = '';
    let offence = '';
    let region = '';
    let ok = true;
    for (const [column, read] of [
      ['12 months ending', () => (periodEnd = parsePeriodEnd(need('12 months ending')))],
      ['PFA', () => (pfa = need('PFA'))],
      ['Region', () => (region = need('Region'))],
      ['Offence', () => (offence = need('Offence'))],
      [
        'Rolling year total number of offences',
        () => (total = parseCount(need('Rolling year total number of offences'))),
      ],
    ] as const) {
      try {
        read();
      } catch (err) {
        ok = false;
        if (problems.length < MAX_PROBLEMS) problems.push(problemAt(line, column, err));
      }
    }
    if (!ok) continue;
    const key = `${pfa}\u0000${offence}\u0000${periodEnd}`;
    if (seen.has(key)) {
      if (problems.length < MAX_PROBLEMS) {
        problems.push(
          `line ${line}: ${pfa}, ${offence}, 12 months ending ${periodEnd} appears twice`,
        );
      }
      continue;
    }
    seen.add(key);
    periods.add(periodEnd);
    areas.add(pfa);
    rows++;
    if (problems.length === 0) {
      pending.push({
        import_id: importId,
        period_end: periodEnd,
        pfa,
        region,
        offence,
        rolling_total: total,
      });
      if (pending.length >= CHUNK_ROWS) await flush();
    }
  }
  if (problems.length > 0) throw new CrimeTableError(file.name, problems);
  await flush();
  return { file: file.name, layout: 'pfa', rows, periods: [...periods].sort(), areas: areas.size };
}

async function importCsp(trx: DbOrTrx, file: CrimeFile, importId: number): Promise<TableCounts> {
  type Row = {
    import_id: number;
    financial_year: string;
    financial_quarter: number;
    force_name: string;
    csp_name: string;
    offence_description: string;
    offence_group: string;
    offence_subgroup: string;
    offence_code: string;
    offences: number;
  };
  const problems: string[] = [];
  const periods = new Set<string>();
  const areas = new Set<string>();
  const seen = new Set<string>();
  const cleared = new Set<string>();
  let pending: Row[] = [];
  let rows = 0;
  const flush = async () => {
    for (const r of pending) {
      const key = `${r.financial_year} Q${r.financial_quarter}`;
      if (!cleared.has(key)) {
        cleared.add(key);
        await trx
          .deleteFrom('recorded_crime_csp')
          .where('financial_year', '=', r.financial_year)
          .where('financial_quarter', '=', r.financial_quarter)
          .execute();
      }
    }
    if (pending.length > 0) await trx.insertInto('recorded_crime_csp').values(pending).execute();
    pending = [];
  };
  for await (const { line, row } of records(file)) {
    const value = (column: string): string => (row[column] ?? '').trim();
    const need = (column: string): string => {
      const v = value(column);
      if (v === '') throw new PeriodError('is blank');
      return v;
    };
    const parsed: Partial<Row> = { import_id: importId };
    let ok = true;
    for (const [column, read] of [
      [
        'Financial Year',
        () =>
          (parsed.financial_year = financialYearLabel(parseFinancialYear(need('Financial Year')))),
      ],
      [
        'Financial Quarter',
        () => {
          const q = /^Q?([1-4])$/i.exec(need('Financial Quarter'));
          if (!q) throw new PeriodError('must be a quarter from 1 to 4');
          parsed.financial_quarter = Number(q[1]);
        },
      ],
      ['Force Name', () => (parsed.force_name = need('Force Name'))],
      ['CSP Name', () => (parsed.csp_name = need('CSP Name'))],
      ['Offence Description', () => (parsed.offence_description = need('Offence Description'))],
      ['Offence Group', () => (parsed.offence_group = need('Offence Group'))],
      ['Offence Subgroup', () => (parsed.offence_subgroup = value('Offence Subgroup'))],
      ['Offence Code', () => (parsed.offence_code = need('Offence Code'))],
      ['Number of Offences', () => (parsed.offences = parseCount(need('Number of Offences')))],
    ] as const) {
      try {
        read();
      } catch (err) {
        ok = false;
        if (problems.length < MAX_PROBLEMS) problems.push(problemAt(line, column, err));
      }
    }
    if (!ok) continue;
    const r = parsed as Row;
    const key = `${r.financial_year}\u0000${r.financial_quarter}\u0000${r.csp_name}\u0000${r.offence_code}`;
    if (seen.has(key)) {
      if (problems.length < MAX_PROBLEMS) {
        problems.push(
          `line ${line}: ${r.csp_name}, offence ${r.offence_code}, ${r.financial_year} quarter ${r.financial_quarter} appears twice`,
        );
      }
      continue;
    }
    seen.add(key);
    periods.add(`${r.financial_year} Q${r.financial_quarter}`);
    areas.add(r.csp_name);
    rows++;
    if (problems.length === 0) {
      pending.push(r);
      if (pending.length >= CHUNK_ROWS) await flush();
    }
  }
  if (problems.length > 0) throw new CrimeTableError(file.name, problems);
  await flush();
  return { file: file.name, layout: 'csp', rows, periods: [...periods].sort(), areas: areas.size };
}
