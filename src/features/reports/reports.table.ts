import type { Generated, Selectable } from 'kysely';

export interface ReportsTable {
  id: Generated<number>;
  partnership_id: number;
  plan_id: number;
  /** 'YYYY-MM': the last month of the current rolling year. */
  period_end: string;
  /** draft | issued */
  status: string;
  issue_number: number;
  to_text: Generated<string>;
  /** 'YYYY-MM-DD' */
  report_date: string;
  subject: Generated<string>;
  by_text: Generated<string>;
  introduction: Generated<string>;
  /** The ExceptionReport as issued, as JSON; null while a draft. */
  snapshot: string | null;
  issued_at: string | null;
  issued_by_label: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type ReportRow = Selectable<ReportsTable>;

export interface ReportCommentaryTable {
  report_id: number;
  theme_id: number;
  text: string;
  updated_at: string;
  updated_by_label: string;
}
