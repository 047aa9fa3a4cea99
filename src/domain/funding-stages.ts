/**
 * The stages a funding proposal moves through, and the only moves allowed between them:
 *
 *   received → shortlisted → detailed proposal requested → submitted for approval
 *     → approved | pending | declined;  pending → approved | declined
 *     → in delivery → delivered
 *
 * A proposal can be declined at any stage before approval and withdrawn at any stage before it
 * ends; delivered, declined and withdrawn are final. The service adds the conditions a move
 * needs (a vote met for shortlisting, both decisions for approval, an outcome for delivery).
 */

export const STAGES = [
  'received',
  'shortlisted',
  'detail-requested',
  'submitted',
  'pending',
  'approved',
  'declined',
  'in-delivery',
  'delivered',
  'withdrawn',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  received: 'Received',
  shortlisted: 'Shortlisted',
  'detail-requested': 'Detailed proposal requested',
  submitted: 'Submitted for approval',
  pending: 'Pending',
  approved: 'Approved',
  declined: 'Declined',
  'in-delivery': 'In delivery',
  delivered: 'Delivered',
  withdrawn: 'Withdrawn',
};

/** GOV.UK tag colours; the tag always carries the stage's name as well. */
export const STAGE_TAGS: Record<Stage, string> = {
  received: 'govuk-tag--grey',
  shortlisted: 'govuk-tag--light-blue',
  'detail-requested': 'govuk-tag--light-blue',
  submitted: 'govuk-tag--purple',
  pending: 'govuk-tag--yellow',
  approved: 'govuk-tag--green',
  declined: 'govuk-tag--red',
  'in-delivery': 'govuk-tag--blue',
  delivered: 'govuk-tag--green',
  withdrawn: 'govuk-tag--grey',
};

const MOVES: Record<Stage, readonly Stage[]> = {
  received: ['shortlisted', 'declined', 'withdrawn'],
  shortlisted: ['detail-requested', 'declined', 'withdrawn'],
  'detail-requested': ['submitted', 'declined', 'withdrawn'],
  submitted: ['approved', 'pending', 'declined', 'withdrawn'],
  pending: ['approved', 'declined', 'withdrawn'],
  approved: ['in-delivery', 'withdrawn'],
  'in-delivery': ['delivered', 'withdrawn'],
  delivered: [],
  declined: [],
  withdrawn: [],
};

export class StageError extends Error {}

export function isStage(text: string): text is Stage {
  return (STAGES as readonly string[]).includes(text);
}

export function nextStages(from: Stage): readonly Stage[] {
  return MOVES[from];
}

export function canMove(from: Stage, to: Stage): boolean {
  return MOVES[from].includes(to);
}

/** Refuses any move the machine does not allow, naming both stages. */
export function assertMove(from: Stage, to: Stage): void {
  if (canMove(from, to)) return;
  if (from === to)
    throw new StageError(`The proposal is already ${STAGE_LABELS[to].toLowerCase()}`);
  if (MOVES[from].length === 0) {
    throw new StageError(
      `The proposal is ${STAGE_LABELS[from].toLowerCase()}, so its stage cannot change`,
    );
  }
  throw new StageError(
    `A proposal cannot move from ${STAGE_LABELS[from].toLowerCase()} to ${STAGE_LABELS[to].toLowerCase()}`,
  );
}

/** Stages where money is committed to the project. */
export const COMMITTED_STAGES: readonly Stage[] = ['approved', 'in-delivery', 'delivered'];
/** Stages still asking for money: counted as proposed against the pot. */
export const PROPOSED_STAGES: readonly Stage[] = [
  'received',
  'shortlisted',
  'detail-requested',
  'submitted',
  'pending',
];
/** Stages a partner lead can still edit their own proposal in. */
export const EDITABLE_STAGES: readonly Stage[] = ['received'];
/** Stages where the working group may vote. */
export const VOTING_STAGES: readonly Stage[] = ['received', 'shortlisted', 'detail-requested'];

// ---------------------------------------------------------------------------------------------
// Votes

export const VOTE_CHOICES = ['support', 'oppose', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export const VOTE_LABELS: Record<VoteChoice, string> = {
  support: 'Support',
  oppose: 'Oppose',
  abstain: 'Abstain',
};

export const THRESHOLDS = ['consensus', 'majority'] as const;
export type Threshold = (typeof THRESHOLDS)[number];
export const THRESHOLD_LABELS: Record<Threshold, string> = {
  consensus: 'Consensus: at least one member supports and none oppose',
  majority: 'Majority: more members support than oppose',
};

export interface Tally {
  support: number;
  oppose: number;
  abstain: number;
  voted: number;
  members: number;
  met: boolean;
}

/**
 * The tally of the votes cast and whether the threshold is met. Abstentions count as votes
 * cast but neither for nor against. Consensus: one support or more and no oppose. Majority:
 * more support than oppose.
 */
export function tally(
  choices: readonly VoteChoice[],
  members: number,
  threshold: Threshold,
): Tally {
  const count = (c: VoteChoice) => choices.filter((x) => x === c).length;
  const support = count('support');
  const oppose = count('oppose');
  const abstain = count('abstain');
  const met = threshold === 'consensus' ? support > 0 && oppose === 0 : support > oppose;
  return { support, oppose, abstain, voted: choices.length, members, met };
}

// ---------------------------------------------------------------------------------------------
// Decisions

export const DECIDERS = ['chair', 'funder'] as const;
export type Decider = (typeof DECIDERS)[number];
export const DECIDER_LABELS: Record<Decider, string> = { chair: 'Chair', funder: 'Funder' };

export const DECISIONS = ['approve', 'pending', 'decline'] as const;
export type Decision = (typeof DECISIONS)[number];
export const DECISION_LABELS: Record<Decision, string> = {
  approve: 'Approved',
  pending: 'Pending',
  decline: 'Declined',
};

export interface RecordedDecision {
  decider: Decider;
  decision: Decision;
  amount: number | null;
}

/**
 * Where the decisions leave a proposal submitted for approval: declined as soon as either
 * declines; approved only when both approve the same amount; otherwise pending. Two approvals
 * of different amounts are refused: the project has one amount.
 */
export function outcomeOfDecisions(
  decisions: readonly RecordedDecision[],
): { stage: 'approved'; amount: number } | { stage: 'pending' | 'declined' } {
  if (decisions.some((d) => d.decision === 'decline')) return { stage: 'declined' };
  const chair = decisions.find((d) => d.decider === 'chair');
  const funder = decisions.find((d) => d.decider === 'funder');
  if (chair?.decision === 'approve' && funder?.decision === 'approve') {
    if (chair.amount !== funder.amount) {
      throw new StageError(
        'The chair and the funder approved different amounts: record both decisions with the same amount',
      );
    }
    return { stage: 'approved', amount: chair.amount ?? 0 };
  }
  return { stage: 'pending' };
}
