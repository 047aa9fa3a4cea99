import type { Generated, Selectable } from 'kysely';

export interface FundsTable {
  id: Generated<number>;
  partnership_id: number;
  source: string;
  name: string;
  year_start: number;
  amount_pence: number;
  status: string;
  confirmed_on: string | null;
  conditions: Generated<string>;
  working_group_id: number | null;
  vote_threshold: string;
  accepting_proposals: Generated<number>;
  closed_on: string | null;
  returned_pence: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type FundRow = Selectable<FundsTable>;

export interface FundPrioritiesTable {
  id: Generated<number>;
  fund_id: number;
  position: number;
  title: string;
}

export interface FundPotsTable {
  id: Generated<number>;
  fund_id: number;
  position: number;
  name: string;
  allocated_pence: number;
  share: number | null;
  remainder_pence: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type FundPotRow = Selectable<FundPotsTable>;

export interface FundingProposalsTable {
  id: Generated<number>;
  fund_id: number;
  pot_id: number;
  title: string;
  lead_agency_id: number;
  submitted_by_user_id: number | null;
  submitted_by_label: string;
  requested_pence: number;
  summary: Generated<string>;
  expected_outcomes: Generated<string>;
  audience: Generated<string>;
  reach: Generated<string>;
  delivery_start: string | null;
  delivery_end: string | null;
  stage: string;
  approved_pence: number | null;
  voting_opens_at: string | null;
  voting_closes_at: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type ProposalRow = Selectable<FundingProposalsTable>;

export interface ProposalPrioritiesTable {
  proposal_id: number;
  priority_id: number;
}

export interface ProposalThemesTable {
  proposal_id: number;
  theme_id: number;
}

export interface ProposalStageEventsTable {
  id: Generated<number>;
  proposal_id: number;
  from_stage: string | null;
  to_stage: string;
  reason: Generated<string>;
  by_user_id: number | null;
  by_label: string;
  occurred_at: string;
}

export interface ProposalVotesTable {
  proposal_id: number;
  user_id: number;
  choice: string;
  cast_at: string;
  updated_at: string;
}

export interface ProposalDecisionsTable {
  proposal_id: number;
  decider: string;
  decision: string;
  amount_pence: number | null;
  decided_on: string;
  note: Generated<string>;
  recorded_by_label: string;
  recorded_at: string;
}

export interface BudgetMovesTable {
  id: Generated<number>;
  fund_id: number;
  kind: string;
  from_pot_id: number | null;
  to_pot_id: number | null;
  proposal_id: number | null;
  amount_pence: number;
  reason: Generated<string>;
  by_label: string;
  occurred_at: string;
}

export interface SpendEntriesTable {
  id: Generated<number>;
  proposal_id: number;
  paid_on: string;
  amount_pence: number;
  note: Generated<string>;
  override_reason: string | null;
  recorded_by_label: string;
  recorded_at: string;
}

export interface ProposalOutcomesTable {
  id: Generated<number>;
  proposal_id: number;
  sessions_delivered: number | null;
  feedback: Generated<string>;
  narrative: Generated<string>;
  evidence_links: Generated<string>;
  recorded_by_label: string;
  recorded_at: string;
}

export interface OutcomeReachTable {
  outcome_id: number;
  position: number;
  audience: string;
  people: number;
}
