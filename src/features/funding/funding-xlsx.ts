/**
 * The funding report's figures as a workbook: pots, projects and spend, amounts in whole pence
 * (exact) beside the same amounts written in pounds. Text someone typed is neutralised so a
 * cell never runs as a formula.
 */
import ExcelJS from 'exceljs';
import { neutralise } from '../../core/grid-export.js';
import { formatMoney } from '../../domain/money.js';
import type { FundingReport } from './funding-report.js';

type Cell = string | number | null;

function sheet(workbook: ExcelJS.Workbook, name: string, head: string[], rows: Cell[][]): void {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = head.map((h) => ({ width: Math.max(12, h.length + 2) }));
  ws.addRow(head).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((c) => (typeof c === 'string' ? neutralise(c) : c)));
}

export async function fundingReportXlsx(r: FundingReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Saferplan';
  const m = formatMoney;
  const t = r.totals;
  sheet(
    workbook,
    'Fund',
    ['Figure', 'Pence', 'Amount'],
    [
      ['Granted', t.grantedPence, m(t.grantedPence)],
      ['Approved', t.committedPence, m(t.committedPence)],
      ['Proposed', t.proposedPence, m(t.proposedPence)],
      ['Spent', t.spentPence, m(t.spentPence)],
      ['Not spent', t.underspendPence, m(t.underspendPence)],
      ['Returned', t.returnedPence, t.returnedPence === null ? '' : m(t.returnedPence)],
    ],
  );
  sheet(
    workbook,
    'Pots',
    [
      'Pot',
      'Share',
      'Allocated (pence)',
      'Remainder (pence)',
      'Approved (pence)',
      'Proposed (pence)',
      'Remaining (pence)',
      'Spent (pence)',
      'Allocated',
    ],
    r.allocation.pots.map((p) => [
      p.name,
      p.share,
      p.allocatedPence,
      p.remainderPence,
      p.committedPence,
      p.proposedPence,
      p.remainingPence,
      p.spentPence,
      m(p.allocatedPence),
    ]),
  );
  sheet(
    workbook,
    'Projects',
    [
      'Project',
      'Lead agency',
      'Pot',
      'Status',
      'Requested (pence)',
      'Approved (pence)',
      'Spent (pence)',
      'Amount',
    ],
    r.projects.map((x) => [
      x.title,
      x.leadAgency,
      x.pot,
      x.stageLabel,
      x.requestedPence,
      x.approvedPence,
      x.spentPence,
      m(x.amountPence),
    ]),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
