import { NotFoundError } from '../../core/errors.js';
import type { DbOrTrx } from '../../db/database.js';
import { toSummary, type PlanSummary } from '../plans/plans.repository.js';
import type { ReportRow } from './reports.table.js';

export interface ReportSummary {
  id: number;
  plan: PlanSummary;
  periodEnd: string;
  status: 'draft' | 'issued';
  issueNumber: number;
  reportDate: string;
  subject: string;
  issuedAt: string | null;
  issuedBy: string | null;
}

export function summaryOf(row: ReportRow, plan: PlanSummary): ReportSummary {
  return {
    id: row.id,
    plan,
    periodEnd: row.period_end,
    status: row.status as ReportSummary['status'],
    issueNumber: row.issue_number,
    reportDate: row.report_date,
    subject: row.subject,
    issuedAt: row.issued_at,
    issuedBy: row.issued_by_label,
  };
}

/** The partnership's reports, latest rolling year first, each issue before the one it follows. */
export async function reportSummaries(
  db: DbOrTrx,
  partnershipId: number,
): Promise<ReportSummary[]> {
  const [rows, plans] = await Promise.all([
    db
      .selectFrom('reports')
      .selectAll()
      .where('partnership_id', '=', partnershipId)
      .orderBy('period_end', 'desc')
      .orderBy('issue_number', 'desc')
      .execute(),
    db.selectFrom('plans').selectAll().where('partnership_id', '=', partnershipId).execute(),
  ]);
  const byId = new Map(plans.map((row) => [row.id, toSummary(row)]));
  return rows.flatMap((r) => {
    const plan = byId.get(r.plan_id);
    return plan ? [summaryOf(r, plan)] : [];
  });
}

/** A draft's commentary by theme id. */
export async function commentaryOf(db: DbOrTrx, reportId: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('report_commentary')
    .select(['theme_id', 'text'])
    .where('report_id', '=', reportId)
    .execute();
  return new Map(rows.map((r) => [r.theme_id, r.text]));
}

/** The plan's reports for a period: its issues in order, and the draft of the next if any. */
export function reportsOf(db: DbOrTrx, planId: number, periodEnd: string): Promise<ReportRow[]> {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('period_end', '=', periodEnd)
    .orderBy('issue_number')
    .execute();
}

/** The report if it belongs to the partnership; otherwise 404, as if it did not exist. */
export async function findReportRow(
  db: DbOrTrx,
  partnershipId: number,
  reportId: number,
): Promise<ReportRow> {
  const row = await db
    .selectFrom('reports')
    .selectAll()
    .where('id', '=', reportId)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Report');
  return row;
}
