import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import { fieldError } from '../../core/form-errors.js';
import {
  DECIDERS,
  DECISIONS,
  STAGES,
  THRESHOLDS,
  VOTE_CHOICES,
} from '../../domain/funding-stages.js';
import { penceToInput } from '../../domain/money.js';
import { FUND_STATUSES } from '../funding/funding.schemas.js';
import type { FundDetail, FundSummary, ProposalDetail } from '../funding/funding.service.js';
import { idParam } from '../partnerships/partnerships.routes.js';
import type { Services } from '../../services.js';
import { apiSchemas } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';

/**
 * Funds, pots, proposals, votes, decisions, spend and outcomes. Money goes in and comes out as
 * whole pence (fields ending in Pence); the services check every amount as they do for pages.
 */
const FUNDS = '/partnerships/{slug}/funds';
const FUND = `${FUNDS}/{fundId}`;
const PROPOSAL = '/partnerships/{slug}/proposals/{proposalId}';

const id = z.int().positive();
const pence = z.int().meta({ description: 'Whole pence: 3966100 is £39,661' });
const day = z.iso.date();
const when = z.string().meta({ description: 'A date and time, ISO 8601' });

const penceMessage = (field: string) => `${field} must be a whole number of pence, 0 or more`;

/** Pence from the body as the pounds text the services read; refuses anything but whole pence. */
function pounds(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw fieldError(field, penceMessage(field));
  return penceToInput(v);
}

const Totals = z.object({
  allocated: pence,
  committed: pence,
  proposed: pence,
  remaining: pence,
  spent: pence,
  underspend: pence,
  overspend: pence,
});

export const FundSummarySchema = z.object({
  id,
  partnership: z.object({ slug: z.string(), name: z.string() }),
  source: z.string(),
  name: z.string(),
  year: z.string().meta({ description: 'The financial year, like 2023/24' }),
  amountPence: pence,
  status: z.enum(FUND_STATUSES),
  confirmedOn: day.nullable(),
  acceptingProposals: z.boolean(),
  closedOn: day.nullable(),
  returnedPence: pence.nullable(),
  pendingCount: z.int(),
  totals: Totals.meta({ description: 'All in pence' }),
});
apiSchemas.add(FundSummarySchema, { id: 'FundSummary' });

const ProposalSummarySchema = z.object({
  id,
  title: z.string(),
  leadAgency: z.object({ id, name: z.string() }),
  pot: z.object({ id, name: z.string() }),
  stage: z.enum(STAGES),
  requestedPence: pence,
  approvedPence: pence.nullable(),
  spentPence: pence,
});

export const FundDetailSchema = FundSummarySchema.extend({
  conditions: z.string(),
  priorities: z.array(z.object({ id, title: z.string() })),
  workingGroup: z.object({ id, name: z.string() }).nullable(),
  voteThreshold: z.enum(THRESHOLDS),
  pots: z.array(
    z.object({
      id,
      name: z.string(),
      share: z.int().nullable(),
      remainderPence: pence.meta({ description: 'What the pot took as the remainder of a split' }),
      allocatedPence: pence,
      committedPence: pence,
      proposedPence: pence,
      remainingPence: pence,
      spentPence: pence,
    }),
  ),
  proposals: z.array(ProposalSummarySchema).meta({ description: 'Those you may see' }),
  moves: z.array(
    z.object({
      kind: z.enum(['virement', 'approval-override', 'spend-override', 'return']),
      from: z.string().nullable(),
      to: z.string().nullable(),
      proposalId: id.nullable(),
      amountPence: pence,
      reason: z.string(),
      by: z.string(),
      at: when,
    }),
  ),
});
apiSchemas.add(FundDetailSchema, { id: 'FundDetail' });

export const ProposalSchema = ProposalSummarySchema.extend({
  fundId: id,
  submittedBy: z.string(),
  summary: z.string(),
  expectedOutcomes: z.string(),
  audience: z.string(),
  reach: z.string(),
  deliveryStart: day.nullable(),
  deliveryEnd: day.nullable(),
  priorities: z.array(z.object({ id, title: z.string() })),
  themes: z.array(z.object({ id, title: z.string() })),
  history: z.array(
    z.object({
      from: z.enum(STAGES).nullable(),
      to: z.enum(STAGES),
      reason: z.string(),
      by: z.string(),
      at: when,
    }),
  ),
  voting: z.object({
    closesAt: when.nullable(),
    open: z.boolean(),
    threshold: z.enum(THRESHOLDS),
    tally: z.object({
      support: z.int(),
      oppose: z.int(),
      abstain: z.int(),
      voted: z.int(),
      members: z.int(),
      met: z.boolean(),
    }),
    votes: z
      .array(z.object({ name: z.string(), choice: z.enum(VOTE_CHOICES) }))
      .nullable()
      .meta({ description: 'Who voted what: for the working group and coordinators only' }),
    myVote: z.enum(VOTE_CHOICES).nullable(),
  }),
  decisions: z.array(
    z.object({
      decider: z.enum(DECIDERS),
      decision: z.enum(DECISIONS),
      amountPence: pence.nullable(),
      decidedOn: day,
      note: z.string(),
    }),
  ),
  spend: z.array(
    z.object({
      id,
      paidOn: day,
      amountPence: pence,
      note: z.string(),
      overrideReason: z.string().nullable(),
    }),
  ),
  outcomes: z.array(
    z.object({
      id,
      sessionsDelivered: z.int().nullable(),
      reach: z.array(z.object({ audience: z.string(), people: z.int() })),
      feedback: z.string(),
      narrative: z.string(),
      evidenceLinks: z.array(z.string()),
      recordedAt: when,
    }),
  ),
});
apiSchemas.add(ProposalSchema, { id: 'FundingProposal' });

const summaryOut = (f: FundSummary) => ({
  ...f,
  amountPence: f.amount,
  returnedPence: f.returned,
});

const detailOut = (f: FundDetail) => ({
  ...summaryOut(f),
  pots: f.pots.map((p) => ({
    id: p.id,
    name: p.name,
    share: p.share,
    remainderPence: p.remainder,
    allocatedPence: p.allocated,
    committedPence: p.committed,
    proposedPence: p.proposed,
    remainingPence: p.remaining,
    spentPence: p.spent,
  })),
  proposals: f.proposals.map(proposalSummaryOut),
  moves: f.moves.map((m) => ({ ...m, amountPence: m.amount })),
});

function proposalSummaryOut(x: FundDetail['proposals'][number]) {
  return { ...x, requestedPence: x.requested, approvedPence: x.approved, spentPence: x.spent };
}

const proposalOut = (x: ProposalDetail) => ({
  ...proposalSummaryOut(x),
  ...x,
  fundId: x.fund.id,
  requestedPence: x.requested,
  approvedPence: x.approved,
  spentPence: x.spent,
  decisions: x.decisions.map((d) => ({ ...d, amountPence: d.amount })),
  spend: x.spend.map((s) => ({ ...s, amountPence: s.amount })),
});

const fundDetail = async (services: Services, actor: Actor, slug: string, fundId: number) =>
  detailOut(await services.funding.fund(actor, slug, fundId));
const proposalDetail = async (services: Services, actor: Actor, slug: string, id: number) =>
  proposalOut(await services.funding.proposals.proposal(actor, slug, id));

// Bodies, for the document: the services parse them with the pages' schemas.
const FundBody = z.object({
  source: z.string(),
  name: z.string(),
  year: z.string().meta({ description: 'Like 2023/24' }),
  amountPence: pence,
  status: z.enum(FUND_STATUSES),
  confirmedOn: day.optional(),
  conditions: z.string().optional(),
  priorities: z.array(z.string()).optional(),
  workingGroupId: id.optional(),
  voteThreshold: z.enum(THRESHOLDS),
  acceptingProposals: z.boolean().optional(),
});
const PotsBody = z.object({
  mode: z.enum(['shares', 'amounts']),
  unit: z.enum(['pounds', 'pence']).optional().meta({ description: 'What shares round down to' }),
  remainderTo: z.int().optional().meta({ description: 'Index of the pot taking the remainder' }),
  fundAmountPence: pence
    .optional()
    .meta({ description: 'A new amount for the fund, split at once' }),
  pots: z.array(
    z.object({ name: z.string(), share: z.int().optional(), amountPence: pence.optional() }),
  ),
});
const VirementBody = z.object({
  fromPotId: id,
  toPotId: id,
  amountPence: pence,
  reason: z.string(),
});
const ProposalBody = z.object({
  title: z.string(),
  leadAgencyId: id,
  potId: id,
  requestedPence: pence,
  summary: z.string().optional(),
  expectedOutcomes: z.string().optional(),
  audience: z.string().optional(),
  reach: z.string().optional(),
  deliveryStart: day.optional(),
  deliveryEnd: day.optional(),
  priorityIds: z.array(id).optional(),
  themeIds: z.array(id).optional(),
});
const DecisionBody = z.object({
  decider: z.enum(DECIDERS),
  decision: z.enum(DECISIONS),
  amountPence: pence.optional(),
  decidedOn: day,
  note: z.string().optional(),
  overrideReason: z.string().optional().meta({ description: 'Needed to approve past the pot' }),
});
const SpendBody = z.object({
  paidOn: day,
  amountPence: pence,
  note: z.string().optional(),
  overrideReason: z.string().optional().meta({ description: 'Needed to spend past the approval' }),
});
const OutcomeBody = z.object({
  sessionsDelivered: z.int().optional(),
  reach: z.array(z.object({ audience: z.string(), people: z.int() })).optional(),
  feedback: z.string().optional(),
  narrative: z.string().optional(),
  evidenceLinks: z.array(z.string()).optional(),
});

/** The body with its pence fields as the pounds the services read. */
function withPounds(body: Record<string, unknown>, fields: Record<string, string>) {
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(body).filter(([k]) => !(k in fields)),
  );
  for (const [from, to] of Object.entries(fields)) {
    const v = pounds(body, from);
    if (v !== undefined) out[to] = v;
  }
  return out;
}

const REFUSED = 'A rule refuses it (422), saying why: see the error’s field and message';

/**
 * A change to one proposal that answers with the proposal as it now stands: every such
 * endpoint shares its tag, answer, refusal and the reading of the proposal's id.
 */
function proposalChange(e: {
  method: 'POST' | 'PATCH';
  path: `${typeof PROPOSAL}${string}`;
  summary: string;
  body?: z.ZodType;
  status: 200 | 201;
  change: (
    proposals: Services['funding']['proposals'],
    actor: Actor,
    slug: string,
    id: number,
    body: Record<string, unknown>,
  ) => Promise<unknown>;
}): Endpoint {
  const { change, ...spec } = e;
  return endpoint({
    ...spec,
    tag: 'Funding',
    response: { schema: ProposalSchema },
    refusal: REFUSED,
    run: async ({ services, actor, params, body }) => {
      const id = idParam(params.proposalId);
      await change(services.funding.proposals, actor, params.slug, id, body);
      return proposalDetail(services, actor, params.slug, id);
    },
  });
}

export const FUNDING_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: FUNDS,
    summary: 'The partnership’s grant funds, latest year first, with their totals',
    tag: 'Funding',
    status: 200,
    response: { schema: FundSummarySchema, list: true },
    run: async ({ services, actor, params }) =>
      (await services.funding.listFunds(actor, params.slug)).map(summaryOut),
  }),
  endpoint({
    method: 'POST',
    path: FUNDS,
    summary: 'Add a fund (coordinators)',
    tag: 'Funding',
    body: FundBody,
    status: 201,
    response: { schema: FundDetailSchema },
    run: async ({ services, actor, params, body }) => {
      const input = withPounds(body, { amountPence: 'amount' });
      if (Array.isArray(body.priorities)) input.priorities = body.priorities as unknown[];
      if (typeof body.workingGroupId === 'number')
        input.workingGroupId = String(body.workingGroupId);
      const { id: fundId } = await services.funding.createFund(actor, params.slug, input);
      return fundDetail(services, actor, params.slug, fundId);
    },
  }),
  endpoint({
    method: 'GET',
    path: FUND,
    summary: 'A fund with its pots, the proposals you may see and its budget moves',
    tag: 'Funding',
    status: 200,
    response: { schema: FundDetailSchema },
    run: ({ services, actor, params }) =>
      fundDetail(services, actor, params.slug, idParam(params.fundId)),
  }),
  endpoint({
    method: 'POST',
    path: `${FUND}/pots`,
    summary:
      'Split the fund into pots by shares (each rounded down, the remainder to one pot) or by amounts that add up to the fund (coordinators); all or nothing',
    tag: 'Funding',
    body: PotsBody,
    status: 200,
    response: { schema: FundDetailSchema },
    refusal: REFUSED,
    run: async ({ services, actor, params, body }) => {
      const fundId = idParam(params.fundId);
      const pots = Array.isArray(body.pots) ? (body.pots as Record<string, unknown>[]) : [];
      await services.funding.splitPots(actor, params.slug, fundId, {
        ...withPounds(body, { fundAmountPence: 'fundAmount' }),
        pots: pots.map((p) => ({
          name: typeof p.name === 'string' ? p.name : '',
          share: p.share === undefined ? '' : String(p.share as number),
          amount: pounds(p, 'amountPence') ?? '',
        })),
      });
      return fundDetail(services, actor, params.slug, fundId);
    },
  }),
  endpoint({
    method: 'POST',
    path: `${FUND}/virements`,
    summary: 'Move money not yet committed from one pot to another, with a reason (coordinators)',
    tag: 'Funding',
    body: VirementBody,
    status: 200,
    response: { schema: FundDetailSchema },
    refusal: REFUSED,
    run: async ({ services, actor, params, body }) => {
      const fundId = idParam(params.fundId);
      await services.funding.vire(
        actor,
        params.slug,
        fundId,
        withPounds(body, { amountPence: 'amount' }),
      );
      return fundDetail(services, actor, params.slug, fundId);
    },
  }),
  endpoint({
    method: 'POST',
    path: `${FUND}/year-end`,
    summary: 'End the fund’s year: what was not spent is recorded as returned (coordinators)',
    tag: 'Funding',
    body: z.object({ closedOn: day }),
    status: 200,
    response: { schema: FundDetailSchema },
    refusal: REFUSED,
    run: async ({ services, actor, params, body }) => {
      const fundId = idParam(params.fundId);
      await services.funding.closeYear(actor, params.slug, fundId, body);
      return fundDetail(services, actor, params.slug, fundId);
    },
  }),
  endpoint({
    method: 'GET',
    path: `${FUND}/report`,
    summary:
      'The fund’s funding report: allocation, proposals, projects, spend and underspend, outcomes; every amount in pence',
    tag: 'Funding',
    status: 200,
    run: ({ services, actor, params }) =>
      services.funding.report(actor, params.slug, idParam(params.fundId)),
  }),
  endpoint({
    method: 'POST',
    path: `${FUND}/proposals`,
    summary: 'Submit a proposal to a fund accepting them (partner leads and coordinators)',
    tag: 'Funding',
    body: ProposalBody,
    status: 201,
    response: { schema: ProposalSchema },
    refusal: REFUSED,
    run: async ({ services, actor, params, body }) => {
      const { id: proposalId } = await services.funding.proposals.submitProposal(
        actor,
        params.slug,
        idParam(params.fundId),
        withPounds(body, { requestedPence: 'requested' }),
      );
      return proposalDetail(services, actor, params.slug, proposalId);
    },
  }),
  endpoint({
    method: 'GET',
    path: PROPOSAL,
    summary: 'A proposal with its stage history, votes, decisions, spend and outcomes',
    tag: 'Funding',
    status: 200,
    response: { schema: ProposalSchema },
    run: ({ services, actor, params }) =>
      proposalDetail(services, actor, params.slug, idParam(params.proposalId)),
  }),
  proposalChange({
    method: 'PATCH',
    path: PROPOSAL,
    summary:
      'Change a proposal: its author until shortlisting, coordinators until it is submitted for approval. Send every field',
    body: ProposalBody,
    status: 200,
    change: (proposals, actor, slug, id, body) =>
      proposals.updateProposal(actor, slug, id, withPounds(body, { requestedPence: 'requested' })),
  }),
  proposalChange({
    method: 'POST',
    path: `${PROPOSAL}/stage`,
    summary:
      'Move a proposal to another stage with a reason (coordinators; an author may withdraw their own). Approval follows from the decisions',
    body: z.object({ to: z.enum(STAGES), reason: z.string() }),
    status: 200,
    change: (proposals, actor, slug, id, body) => proposals.moveStage(actor, slug, id, body),
  }),
  proposalChange({
    method: 'POST',
    path: `${PROPOSAL}/voting`,
    summary: 'Open (or extend) the working group’s vote until the end of a day (coordinators)',
    body: z.object({ closesOn: day }),
    status: 200,
    change: (proposals, actor, slug, id, body) => proposals.openVoting(actor, slug, id, body),
  }),
  proposalChange({
    method: 'POST',
    path: `${PROPOSAL}/voting/close`,
    summary: 'Close an open vote now (coordinators)',
    status: 200,
    change: (proposals, actor, slug, id) => proposals.closeVoting(actor, slug, id),
  }),
  proposalChange({
    method: 'POST',
    path: `${PROPOSAL}/votes`,
    summary:
      'Vote on a proposal while voting is open (working-group members); a second vote is refused',
    body: z.object({ choice: z.enum(VOTE_CHOICES) }),
    status: 201,
    change: (proposals, actor, slug, id, body) => proposals.vote(actor, slug, id, body),
  }),
  proposalChange({
    method: 'PATCH',
    path: `${PROPOSAL}/votes/mine`,
    summary: 'Change your vote while voting is open',
    body: z.object({ choice: z.enum(VOTE_CHOICES) }),
    status: 200,
    change: (proposals, actor, slug, id, body) =>
      proposals.vote(actor, slug, id, body, { change: true }),
  }),
  proposalChange({
    method: 'POST',
    path: `${PROPOSAL}/decisions`,
    summary:
      'Record the chair’s or the funder’s decision (coordinators). Approved only when both approve the same amount; past the pot’s remainder only with overrideReason',
    body: DecisionBody,
    status: 200,
    change: (proposals, actor, slug, id, body) =>
      proposals.decide(actor, slug, id, withPounds(body, { amountPence: 'amount' })),
  }),
  proposalChange({
    method: 'POST',
    path: `${PROPOSAL}/spend`,
    summary:
      'Record a payment or claim for an approved project (coordinators); past the approved amount only with overrideReason',
    body: SpendBody,
    status: 201,
    change: (proposals, actor, slug, id, body) =>
      proposals.recordSpend(actor, slug, id, withPounds(body, { amountPence: 'amount' })),
  }),
  proposalChange({
    method: 'POST',
    path: `${PROPOSAL}/outcomes`,
    summary: 'Record outcomes of an approved project (coordinators and its author)',
    body: OutcomeBody,
    status: 201,
    change: (proposals, actor, slug, id, body) =>
      proposals.recordOutcome(actor, slug, id, {
        ...body,
        // The service reads the form's text; the API takes a number.
        ...(typeof body.sessionsDelivered === 'number'
          ? { sessionsDelivered: String(body.sessionsDelivered) }
          : {}),
      }),
  }),
];
