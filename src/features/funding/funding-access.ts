import { canManagePartnership, type Actor } from '../../core/actor.js';
import { NotFoundError, ForbiddenError } from '../../core/errors.js';
import { fieldError } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import {
  COMMITTED_STAGES,
  STAGE_LABELS,
  StageError,
  type Stage,
} from '../../domain/funding-stages.js';
import { MoneyError } from '../../domain/money.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import {
  fundRow,
  groupVoters,
  proposalWithFund,
  type ProposalListRow,
} from './funding.repository.js';
import type { FundRow } from './funding.table.js';
import type { ProposalSummary } from './funding.types.js';

export interface Context {
  p: PartnershipRow;
  manage: boolean;
}

/** Any error of the money module, shown beside the field it concerns. */
export function moneyField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MoneyError) throw fieldError(field, err.message);
    throw err;
  }
}

export function stageField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StageError) throw fieldError(field, err.message);
    throw err;
  }
}

export const isCommitted = (stage: Stage) => COMMITTED_STAGES.includes(stage);

/** Voting that closes on a day closes at the very end of it. */
export const endOfDay = (date: string) => `${date}T23:59:59.999Z`;

export function toSummary(x: ProposalListRow, spent: number): ProposalSummary {
  const stage = x.stage as Stage;
  return {
    id: x.id,
    title: x.title,
    leadAgency: { id: x.lead_agency_id, name: x.lead_agency_name },
    pot: { id: x.pot_id, name: x.pot_name },
    stage,
    stageLabel: STAGE_LABELS[stage],
    requested: x.requested_pence,
    approved: isCommitted(stage) ? x.approved_pence : null,
    spent,
  };
}

/**
 * Who can do what with grant funds, shared by the funds and the proposals services:
 * - coordinators run the fund and see everything;
 * - working-group members (the partnership's members sitting on the fund's working group, in
 *   person or through their agency) see every proposal of the fund and vote;
 * - partner leads submit proposals, and see and edit their own until shortlisting;
 * - everyone who reads the partnership reads the fund, its approved projects and outcomes.
 * Anything else is answered as if it did not exist.
 */
export abstract class FundingAccess {
  constructor(
    protected readonly db: Db,
    protected readonly partnerships: PartnershipsService,
    protected readonly now: () => string = nowIso,
  ) {}

  protected async context(actor: Actor, slug: string, db: DbOrTrx): Promise<Context> {
    const p = await this.partnerships.readable(actor, slug, db);
    return { p, manage: canManagePartnership(actor, p) };
  }

  protected async findFund(actor: Actor, slug: string, fundId: number, db: DbOrTrx = this.db) {
    const ctx = await this.context(actor, slug, db);
    const fund = await fundRow(db, ctx.p.id, fundId);
    if (!fund) throw new NotFoundError('Fund');
    return { ...ctx, fund };
  }

  protected async managedFund(actor: Actor, slug: string, fundId: number, db: DbOrTrx) {
    const found = await this.findFund(actor, slug, fundId, db);
    if (!found.manage) throw new ForbiddenError('Only the partnership’s coordinators can do that');
    return found;
  }

  protected async isVoter(db: DbOrTrx, actor: Actor, p: PartnershipRow, fund: FundRow) {
    if (actor.userId === null || !actor.roles.has(p.id)) return false;
    const voters = await groupVoters(db, p.id, fund.working_group_id);
    return voters.some((v) => v.id === actor.userId);
  }

  protected canSee(
    actor: Actor,
    ctx: Context,
    seeAll: boolean,
    proposal: { stage: string; submitted_by_user_id: number | null },
  ): boolean {
    return (
      ctx.manage ||
      seeAll ||
      isCommitted(proposal.stage as Stage) ||
      (actor.userId !== null && proposal.submitted_by_user_id === actor.userId)
    );
  }

  /** The proposal if the actor may see it; otherwise 404. */
  protected async findProposal(
    actor: Actor,
    slug: string,
    proposalId: number,
    db: DbOrTrx = this.db,
  ) {
    const ctx = await this.context(actor, slug, db);
    const found = await proposalWithFund(db, ctx.p.id, proposalId);
    if (!found) throw new NotFoundError('Proposal');
    const voter = await this.isVoter(db, actor, ctx.p, found.fund);
    if (!this.canSee(actor, ctx, voter, found.proposal)) throw new NotFoundError('Proposal');
    return { ...ctx, ...found, voter, stage: found.proposal.stage as Stage };
  }

  protected isOwn(actor: Actor, proposal: { submitted_by_user_id: number | null }): boolean {
    return actor.userId !== null && proposal.submitted_by_user_id === actor.userId;
  }
}
