/** What the funding services answer with: money in integer pence throughout. */
import type {
  Decider,
  Decision,
  Stage,
  Tally,
  Threshold,
  VoteChoice,
} from '../../domain/funding-stages.js';
import type { FundTotals } from '../../domain/money.js';
import type { FundStatus } from './funding.schemas.js';

export interface PotView {
  id: number;
  position: number;
  name: string;
  share: number | null;
  /** Pence this pot took as the remainder of a split by shares. */
  remainder: number;
  allocated: number;
  committed: number;
  /** Asked for by proposals not yet decided. */
  proposed: number;
  remaining: number;
  spent: number;
}

export interface FundSummary {
  id: number;
  partnership: { slug: string; name: string };
  source: string;
  name: string;
  yearStart: number;
  year: string;
  amount: number;
  status: FundStatus;
  confirmedOn: string | null;
  acceptingProposals: boolean;
  closedOn: string | null;
  returned: number | null;
  totals: FundTotals & { proposed: number };
  pendingCount: number;
}

export interface ProposalSummary {
  id: number;
  title: string;
  leadAgency: { id: number; name: string };
  pot: { id: number; name: string };
  stage: Stage;
  stageLabel: string;
  requested: number;
  approved: number | null;
  spent: number;
}

export interface BudgetMove {
  id: number;
  kind: string;
  from: string | null;
  to: string | null;
  proposalId: number | null;
  amount: number;
  reason: string;
  by: string;
  at: string;
}

export interface FundDetail extends FundSummary {
  conditions: string;
  priorities: { id: number; title: string }[];
  workingGroup: { id: number; name: string } | null;
  voteThreshold: Threshold;
  pots: PotView[];
  proposals: ProposalSummary[];
  moves: BudgetMove[];
  can: { manage: boolean; submit: boolean; vote: boolean; seeAll: boolean };
}

export interface StageEvent {
  from: Stage | null;
  to: Stage;
  reason: string;
  by: string;
  at: string;
}

export interface DecisionView {
  decider: Decider;
  deciderLabel: string;
  decision: Decision;
  decisionLabel: string;
  amount: number | null;
  decidedOn: string;
  note: string;
  recordedBy: string;
}

export interface SpendView {
  id: number;
  paidOn: string;
  amount: number;
  note: string;
  overrideReason: string | null;
  recordedBy: string;
}

export interface OutcomeView {
  id: number;
  sessionsDelivered: number | null;
  reach: { audience: string; people: number }[];
  feedback: string;
  narrative: string;
  evidenceLinks: string[];
  recordedBy: string;
  recordedAt: string;
}

export interface ProposalDetail extends ProposalSummary {
  fund: { id: number; name: string; year: string; closed: boolean };
  submittedBy: string;
  summary: string;
  expectedOutcomes: string;
  audience: string;
  reach: string;
  deliveryStart: string | null;
  deliveryEnd: string | null;
  priorities: { id: number; title: string }[];
  themes: { id: number; title: string }[];
  createdAt: string;
  history: StageEvent[];
  voting: {
    opensAt: string | null;
    /** When voting closes (or closed): the end of the day chosen, or when it was closed early. */
    closesAt: string | null;
    open: boolean;
    threshold: Threshold;
    tally: Tally;
    /** Who voted what: for the working group and coordinators only. */
    votes: { name: string; choice: VoteChoice }[] | null;
    myVote: VoteChoice | null;
  };
  decisions: DecisionView[];
  spend: SpendView[];
  outcomes: OutcomeView[];
  nextStages: Stage[];
  can: {
    edit: boolean;
    manage: boolean;
    vote: boolean;
    withdraw: boolean;
    recordOutcome: boolean;
  };
}
