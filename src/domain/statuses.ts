/** The statuses a lead gives an action, and the three groups exception reports count. */
export const STATUSES = ['not-started', 'in-progress', 'complete', 'on-hold', 'off-track'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  'not-started': 'Not yet started',
  'in-progress': 'In progress',
  complete: 'Complete',
  'on-hold': 'On hold',
  'off-track': 'Off track',
};

/** The groups in the order reports show them. */
export const REPORT_GROUPS = ['complete', 'inProgress', 'notStartedOrOffTrack'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export const REPORT_GROUP_LABELS: Record<ReportGroup, string> = {
  complete: 'Complete',
  inProgress: 'In Progress',
  notStartedOrOffTrack: 'Not yet started/Off track',
};

/** On hold and off track count with not yet started: the work is not moving. */
export function reportGroup(status: Status): ReportGroup {
  if (status === 'complete') return 'complete';
  if (status === 'in-progress') return 'inProgress';
  return 'notStartedOrOffTrack';
}

const SPELLINGS: [RegExp, Status][] = [
  [/^not[\s-]+(?:yet[\s-]+)?started\b/i, 'not-started'],
  [/^in[\s-]+progress\b/i, 'in-progress'],
  [/^(?:complete|completed)\b/i, 'complete'],
  [/^on[\s-]+hold\b/i, 'on-hold'],
  [/^off[\s-]+track\b/i, 'off-track'],
];

/** A status as written ("In progress", "on hold", "Completed"), or undefined. */
export function parseStatus(text: string): Status | undefined {
  const t = text.trim();
  for (const [re, status] of SPELLINGS) {
    const m = re.exec(t);
    if (m && m[0].length === t.length) return status;
  }
  return undefined;
}

/**
 * Updates are often written status first: "In progress - the service has…". Returns the status
 * and the narrative after it, or no status when the text does not start with one.
 */
export function splitStatus(update: string): { status?: Status; narrative: string } {
  const t = update.trim();
  for (const [re, status] of SPELLINGS) {
    const m = re.exec(t);
    if (!m) continue;
    const rest = t.slice(m[0].length);
    // Only a status followed by nothing or by a separator: "Complete" yes, "Completely new" no.
    const sep = /^\s*(?:[-–—:.,]\s*|$)/.exec(rest);
    if (sep) return { status, narrative: rest.slice(sep[0].length).trim() };
  }
  return { narrative: t };
}

/** "In progress - narrative": how reports and exports write an update. */
export function joinStatus(status: Status, narrative: string): string {
  return narrative ? `${STATUS_LABELS[status]} - ${narrative}` : STATUS_LABELS[status];
}

export function countByReportGroup(statuses: Iterable<Status>): Record<ReportGroup, number> {
  const counts: Record<ReportGroup, number> = {
    complete: 0,
    inProgress: 0,
    notStartedOrOffTrack: 0,
  };
  for (const s of statuses) counts[reportGroup(s)]++;
  return counts;
}
