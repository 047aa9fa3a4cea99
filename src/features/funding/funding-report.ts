/**
 * The funding report of a fund: the committee-paper section on a grant for its year. Every
 * amount in it is read once from the fund's records into this object, and every output (the
 * list of projects, the appendix of summaries, the spreadsheet, the JSON) is drawn from it, so
 * the list and the appendix cannot give a project two amounts. Money is integer pence.
 */
import type { Actor } from '../../core/actor.js';
import { COMMITTED_STAGES, type Stage } from '../../domain/funding-stages.js';
import type { FundingService, OutcomeView } from './funding.service.js';
import type { FundStatus } from './funding.schemas.js';

export interface FundingReportProject {
  id: number;
  title: string;
  leadAgency: string;
  pot: string;
  stage: Stage;
  stageLabel: string;
  requestedPence: number;
  approvedPence: number | null;
  /** What the project stands for in the list: approved, or requested while undecided. */
  amountPence: number;
  spentPence: number;
  summary: string;
  expectedOutcomes: string;
  audience: string;
  reach: string;
  deliveryStart: string | null;
  deliveryEnd: string | null;
  priorities: string[];
  themes: string[];
  decisions: { by: string; decision: string; amountPence: number | null; decidedOn: string }[];
  outcomes: OutcomeView[];
}

export interface FundingReport {
  partnership: { slug: string; name: string };
  fund: {
    id: number;
    source: string;
    name: string;
    year: string;
    status: FundStatus;
    confirmedOn: string | null;
    conditions: string;
    priorities: string[];
  };
  generatedAt: string;
  allocation: {
    amountPence: number;
    pots: {
      name: string;
      share: number | null;
      allocatedPence: number;
      remainderPence: number;
      committedPence: number;
      proposedPence: number;
      remainingPence: number;
      spentPence: number;
    }[];
  };
  proposals: {
    received: number;
    shortlisted: number;
    submittedForApproval: number;
    approved: number;
    pending: number;
    declined: number;
    withdrawn: number;
  };
  /** Proposals that went to the chair and the funder, in the order they were received. */
  projects: FundingReportProject[];
  totals: {
    grantedPence: number;
    committedPence: number;
    proposedPence: number;
    spentPence: number;
    underspendPence: number;
    returnedPence: number | null;
    closedOn: string | null;
  };
}

const WENT_FOR_APPROVAL: readonly Stage[] = [
  'submitted',
  'pending',
  'approved',
  'declined',
  'in-delivery',
  'delivered',
  'withdrawn',
];

/** The report as the actor may see it: only the proposals they can see are counted and listed. */
export async function buildFundingReport(
  funding: FundingService,
  actor: Actor,
  slug: string,
  fundId: number,
  now: string,
): Promise<FundingReport> {
  const fund = await funding.fund(actor, slug, fundId);
  const details = await Promise.all(
    fund.proposals.map((x) => funding.proposals.proposal(actor, slug, x.id)),
  );
  const reached = (stages: Stage[], d: (typeof details)[number]) =>
    d.history.some((h) => stages.includes(h.to));
  const projects = details.filter(
    (d) => reached(['submitted'], d) && WENT_FOR_APPROVAL.includes(d.stage),
  );
  return {
    partnership: fund.partnership,
    fund: {
      id: fund.id,
      source: fund.source,
      name: fund.name,
      year: fund.year,
      status: fund.status,
      confirmedOn: fund.confirmedOn,
      conditions: fund.conditions,
      priorities: fund.priorities.map((p) => p.title),
    },
    generatedAt: now,
    allocation: {
      amountPence: fund.amount,
      pots: fund.pots.map((p) => ({
        name: p.name,
        share: p.share,
        allocatedPence: p.allocated,
        remainderPence: p.remainder,
        committedPence: p.committed,
        proposedPence: p.proposed,
        remainingPence: p.remaining,
        spentPence: p.spent,
      })),
    },
    proposals: {
      received: details.length,
      shortlisted: details.filter((d) => reached(['shortlisted'], d)).length,
      submittedForApproval: projects.length,
      approved: details.filter((d) => COMMITTED_STAGES.includes(d.stage)).length,
      pending: details.filter((d) => d.stage === 'pending').length,
      declined: details.filter((d) => d.stage === 'declined').length,
      withdrawn: details.filter((d) => d.stage === 'withdrawn').length,
    },
    projects: projects.map((d) => ({
      id: d.id,
      title: d.title,
      leadAgency: d.leadAgency.name,
      pot: d.pot.name,
      stage: d.stage,
      stageLabel: d.stageLabel,
      requestedPence: d.requested,
      approvedPence: d.approved,
      amountPence: d.approved ?? d.requested,
      spentPence: d.spent,
      summary: d.summary,
      expectedOutcomes: d.expectedOutcomes,
      audience: d.audience,
      reach: d.reach,
      deliveryStart: d.deliveryStart,
      deliveryEnd: d.deliveryEnd,
      priorities: d.priorities.map((p) => p.title),
      themes: d.themes.map((t) => t.title),
      decisions: d.decisions.map((x) => ({
        by: x.deciderLabel,
        decision: x.decisionLabel,
        amountPence: x.amount,
        decidedOn: x.decidedOn,
      })),
      outcomes: d.outcomes,
    })),
    totals: {
      grantedPence: fund.amount,
      committedPence: fund.totals.committed,
      proposedPence: fund.totals.proposed,
      spentPence: fund.totals.spent,
      underspendPence: fund.totals.underspend,
      returnedPence: fund.returned,
      closedOn: fund.closedOn,
    },
  };
}

export const fundingReportTitle = (r: FundingReport) =>
  `${r.fund.name} ${r.fund.year}: funding report`;
