import { canManagePartnership, canReadPartnership, type Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError, ValidationFailed } from '../../core/errors.js';
import { fieldError, formErrors, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import {
  assertMove,
  COMMITTED_STAGES,
  EDITABLE_STAGES,
  outcomeOfDecisions,
  PROPOSED_STAGES,
  StageError,
  STAGE_LABELS,
  DECIDER_LABELS,
  DECISION_LABELS,
  tally,
  VOTING_STAGES,
  type Decider,
  type Decision,
  type Stage,
  type Tally,
  type Threshold,
  type VoteChoice,
  nextStages,
} from '../../domain/funding-stages.js';
import {
  approve,
  formatMoney,
  fundTotals,
  MoneyError,
  parseMoney,
  potTotals,
  spend,
  splitByAmounts,
  splitByShares,
  vire,
  yearEnd,
  type FundTotals,
  type Split,
} from '../../domain/money.js';
import { financialYearLabel } from '../../domain/periods.js';
import { recordAudit } from '../audit/audit.service.js';
import { partnershipThemes } from '../indicators/indicators.repository.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import {
  fundRow,
  fundsOf,
  groupVoters,
  ledgerOf,
  potsOf,
  prioritiesOf,
  proposalsOf,
  proposalWithFund,
  spentByProposal,
  type ProposalListRow,
} from './funding.repository.js';
import {
  closeYearSchema,
  decisionSchema,
  fundingMessages as messages,
  fundSchema,
  MAX_POTS,
  openVotingSchema,
  outcomeSchema,
  potSplitSchema,
  proposalSchema,
  spendSchema,
  stageMoveSchema,
  virementSchema,
  voteSchema,
  type FundStatus,
  type FundValues,
  type ProposalValues,
} from './funding.schemas.js';
import type { FundRow } from './funding.table.js';
import { buildFundingReport, type FundingReport } from './funding-report.js';

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

interface Context {
  p: PartnershipRow;
  manage: boolean;
}

/** Any error of the money module, shown beside the field it concerns. */
function moneyField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MoneyError) throw fieldError(field, err.message);
    throw err;
  }
}

function stageField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StageError) throw fieldError(field, err.message);
    throw err;
  }
}

const isCommitted = (stage: Stage) => COMMITTED_STAGES.includes(stage);

/** Voting that closes on a day closes at the very end of it. */
const endOfDay = (date: string) => `${date}T23:59:59.999Z`;

/**
 * Grant funds of a partnership: pots, proposals and their stages, votes, decisions, spend,
 * outcomes and the year end. Who can do what:
 * - coordinators run the fund and see everything;
 * - working-group members (the partnership's members sitting on the fund's working group, in
 *   person or through their agency) see every proposal of the fund and vote;
 * - partner leads submit proposals, and see and edit their own until shortlisting;
 * - everyone who reads the partnership reads the fund, its approved projects and outcomes.
 * Anything else is answered as if it did not exist.
 */
export class FundingService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
    private readonly now: () => string = nowIso,
  ) {}

  private async context(actor: Actor, slug: string, db: DbOrTrx): Promise<Context> {
    const p = await this.partnerships.readable(actor, slug, db);
    return { p, manage: canManagePartnership(actor, p) };
  }

  private async findFund(actor: Actor, slug: string, fundId: number, db: DbOrTrx = this.db) {
    const ctx = await this.context(actor, slug, db);
    const fund = await fundRow(db, ctx.p.id, fundId);
    if (!fund) throw new NotFoundError('Fund');
    return { ...ctx, fund };
  }

  private async managedFund(actor: Actor, slug: string, fundId: number, db: DbOrTrx) {
    const found = await this.findFund(actor, slug, fundId, db);
    if (!found.manage) throw new ForbiddenError('Only the partnership’s coordinators can do that');
    return found;
  }

  private async isVoter(db: DbOrTrx, actor: Actor, p: PartnershipRow, fund: FundRow) {
    if (actor.userId === null || !actor.roles.has(p.id)) return false;
    const voters = await groupVoters(db, p.id, fund.working_group_id);
    return voters.some((v) => v.id === actor.userId);
  }

  private canSee(
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
  private async findProposal(
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

  // -------------------------------------------------------------------------------------------
  // Funds

  /** The funds of every partnership the actor reads, or of one. */
  async listFunds(actor: Actor, slug?: string): Promise<FundSummary[]> {
    const partnerships =
      slug === undefined
        ? await this.db.selectFrom('partnerships').selectAll().orderBy('name').execute()
        : [await this.partnerships.readable(actor, slug)];
    const readable = partnerships.filter((p) => canReadPartnership(actor, p));
    const byId = new Map(readable.map((p) => [p.id, p]));
    const funds = await fundsOf(
      this.db,
      readable.map((p) => p.id),
    );
    const out: FundSummary[] = [];
    for (const f of funds) {
      const p = byId.get(f.partnership_id);
      if (p) out.push(await this.summary(this.db, f, p));
    }
    return out;
  }

  private async summary(db: DbOrTrx, f: FundRow, p: PartnershipRow): Promise<FundSummary> {
    const [ledger, proposals] = await Promise.all([ledgerOf(db, f), proposalsOf(db, f.id)]);
    const proposed = proposals
      .filter((x) => PROPOSED_STAGES.includes(x.stage as Stage))
      .reduce((a, x) => a + x.requested_pence, 0);
    return {
      id: f.id,
      partnership: { slug: p.slug, name: p.name },
      source: f.source,
      name: f.name,
      yearStart: f.year_start,
      year: financialYearLabel({ start: f.year_start }),
      amount: f.amount_pence,
      status: f.status as FundStatus,
      confirmedOn: f.confirmed_on,
      acceptingProposals: f.accepting_proposals === 1 && f.closed_on === null,
      closedOn: f.closed_on,
      returned: f.returned_pence,
      totals: { ...fundTotals(ledger), proposed },
      pendingCount: proposals.filter((x) => x.stage === 'pending').length,
    };
  }

  async fund(actor: Actor, slug: string, fundId: number): Promise<FundDetail> {
    const { p, manage, fund } = await this.findFund(actor, slug, fundId);
    const voter = await this.isVoter(this.db, actor, p, fund);
    const seeAll = manage || voter;
    const [summary, pots, priorities, proposals, spent, ledger, moves, group] = await Promise.all([
      this.summary(this.db, fund, p),
      potsOf(this.db, fund.id),
      prioritiesOf(this.db, fund.id),
      proposalsOf(this.db, fund.id),
      spentByProposal(this.db, fund.id),
      ledgerOf(this.db, fund),
      this.moves(fund.id),
      fund.working_group_id === null
        ? undefined
        : this.db
            .selectFrom('groups')
            .select(['id', 'name'])
            .where('id', '=', fund.working_group_id)
            .executeTakeFirst(),
    ]);
    const visible = proposals.filter((x) => this.canSee(actor, { p, manage }, seeAll, x));
    const isLead = actor.isAdmin || ['lead', 'coordinator'].includes(actor.roles.get(p.id) ?? '');
    return {
      ...summary,
      conditions: fund.conditions,
      priorities,
      workingGroup: group ?? null,
      voteThreshold: fund.vote_threshold as Threshold,
      pots: pots.map((pot) => {
        const t = potTotals(ledger, String(pot.id));
        return {
          id: pot.id,
          position: pot.position,
          name: pot.name,
          share: pot.share,
          remainder: pot.remainder_pence,
          ...t,
          proposed: proposals
            .filter((x) => x.pot_id === pot.id && PROPOSED_STAGES.includes(x.stage as Stage))
            .reduce((a, x) => a + x.requested_pence, 0),
        };
      }),
      proposals: visible.map((x) => toSummary(x, spent.get(x.id) ?? 0)),
      moves: manage ? moves : moves.filter((m) => m.kind === 'virement' || m.kind === 'return'),
      can: { manage, submit: isLead && summary.acceptingProposals, vote: voter, seeAll },
    };
  }

  private async moves(fundId: number): Promise<BudgetMove[]> {
    const rows = await this.db
      .selectFrom('budget_moves')
      .leftJoin('fund_pots as f', 'f.id', 'budget_moves.from_pot_id')
      .leftJoin('fund_pots as t', 't.id', 'budget_moves.to_pot_id')
      .select([
        'budget_moves.id',
        'budget_moves.kind',
        'f.name as from',
        't.name as to',
        'budget_moves.proposal_id',
        'budget_moves.amount_pence',
        'budget_moves.reason',
        'budget_moves.by_label',
        'budget_moves.occurred_at',
      ])
      .where('budget_moves.fund_id', '=', fundId)
      .orderBy('budget_moves.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      from: r.from,
      to: r.to,
      proposalId: r.proposal_id,
      amount: r.amount_pence,
      reason: r.reason,
      by: r.by_label,
      at: r.occurred_at,
    }));
  }

  /** The groups a fund's working group can be chosen from. */
  async groupChoices(actor: Actor, slug: string): Promise<{ id: number; name: string }[]> {
    const p = await this.partnerships.readable(actor, slug);
    return this.db
      .selectFrom('groups')
      .select(['id', 'name'])
      .where('partnership_id', '=', p.id)
      .orderBy('name')
      .execute();
  }

  private async checkGroup(db: DbOrTrx, p: PartnershipRow, values: FundValues): Promise<void> {
    if (values.workingGroupId === undefined) return;
    const g = await db
      .selectFrom('groups')
      .select('id')
      .where('id', '=', values.workingGroupId)
      .where('partnership_id', '=', p.id)
      .executeTakeFirst();
    if (!g) throw fieldError('workingGroupId', messages.groupUnknown);
  }

  async createFund(actor: Actor, slug: string, input: unknown): Promise<{ id: number }> {
    const values = parseInput(fundSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      await this.checkGroup(trx, p, values);
      const now = nowIso();
      const { id } = await trx
        .insertInto('funds')
        .values({
          partnership_id: p.id,
          source: values.source,
          name: values.name,
          year_start: values.year,
          amount_pence: values.amount,
          status: values.status,
          confirmed_on: values.confirmedOn ?? null,
          conditions: values.conditions,
          working_group_id: values.workingGroupId ?? null,
          vote_threshold: values.voteThreshold,
          accepting_proposals: values.acceptingProposals ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.writePriorities(trx, id, values.priorities);
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'fund',
        entityId: id,
        action: 'created',
        summary: `Added the fund ${values.name} ${financialYearLabel({ start: values.year })} of ${formatMoney(values.amount)}`,
        after: values,
      });
      return { id };
    });
  }

  private async writePriorities(trx: DbOrTrx, fundId: number, titles: string[]): Promise<void> {
    const existing = await prioritiesOf(trx, fundId);
    // Priorities are kept by title so proposals keep their tags when the list is reordered.
    const keep = new Map(existing.map((e) => [e.title, e.id]));
    const wanted = new Set(titles);
    const gone = existing.filter((e) => !wanted.has(e.title)).map((e) => e.id);
    if (gone.length) await trx.deleteFrom('fund_priorities').where('id', 'in', gone).execute();
    // Move every kept priority out of the way of the new positions first.
    for (const e of existing.filter((x) => wanted.has(x.title))) {
      await trx
        .updateTable('fund_priorities')
        .set({ position: -e.id })
        .where('id', '=', e.id)
        .execute();
    }
    for (const [i, title] of titles.entries()) {
      const id = keep.get(title);
      if (id === undefined) {
        await trx
          .insertInto('fund_priorities')
          .values({ fund_id: fundId, position: i, title })
          .execute();
      } else {
        await trx
          .updateTable('fund_priorities')
          .set({ position: i })
          .where('id', '=', id)
          .execute();
      }
    }
  }

  async updateFund(actor: Actor, slug: string, fundId: number, input: unknown): Promise<void> {
    const values = parseInput(fundSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, fund } = await this.managedFund(actor, slug, fundId, trx);
      await this.checkGroup(trx, p, values);
      if (values.amount !== fund.amount_pence) {
        if (fund.closed_on !== null) throw fieldError('amount', messages.fundClosed);
        const pots = await potsOf(trx, fund.id);
        if (pots.length > 0) {
          throw fieldError(
            'amount',
            `The fund is split into pots of ${formatMoney(fund.amount_pence)}: change its amount on the pots page, which splits the new amount`,
          );
        }
      }
      await trx
        .updateTable('funds')
        .set({
          source: values.source,
          name: values.name,
          year_start: values.year,
          amount_pence: values.amount,
          status: values.status,
          confirmed_on: values.confirmedOn ?? null,
          conditions: values.conditions,
          working_group_id: values.workingGroupId ?? null,
          vote_threshold: values.voteThreshold,
          accepting_proposals: values.acceptingProposals ? 1 : 0,
          version: fund.version + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', fund.id)
        .execute();
      await this.writePriorities(trx, fund.id, values.priorities);
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'fund',
        entityId: fund.id,
        action: 'updated',
        summary: `Changed the fund ${values.name}`,
        before: fund,
        after: values,
      });
    });
  }

  /**
   * Splits the fund (optionally at a new amount) into pots by shares or amounts, all or
   * nothing. Existing pots are kept by position so their proposals stay with them; a pot
   * cannot be given less than it has committed, nor removed while it has proposals.
   */
  async splitPots(actor: Actor, slug: string, fundId: number, input: unknown): Promise<Split> {
    const values = parseInput(potSplitSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const { p, fund } = await this.managedFund(actor, slug, fundId, trx);
      if (fund.closed_on !== null) throw fieldError('pots', messages.fundClosed);
      const total = values.fundAmount ?? fund.amount_pence;
      const rows = values.pots
        .map((r, index) => ({ ...r, index }))
        .filter((r) => r.name !== '' || r.share !== '' || r.amount !== '');
      const errors: [string, string][] = [];
      if (rows.length === 0) errors.push(['pots', messages.potsMissing]);
      const names = new Set<string>();
      for (const r of rows) {
        if (r.name === '') errors.push([`pot${r.index + 1}Name`, messages.potsMissing]);
        else if (names.has(r.name.toLowerCase()))
          errors.push([`pot${r.index + 1}Name`, messages.potNameRepeated]);
        names.add(r.name.toLowerCase());
      }
      let split: Split | undefined;
      if (values.mode === 'shares') {
        const shares = rows.map((r) => {
          if (!/^\d{1,6}$/.test(r.share))
            errors.push([`pot${r.index + 1}Share`, messages.shareBad]);
          return Number(r.share);
        });
        const remainderTo = rows.findIndex((r) => r.index === values.remainderTo);
        if (remainderTo < 0) errors.push(['remainderTo', messages.remainderMissing]);
        if (errors.length) throw new ValidationFailed(formErrors(errors));
        split = moneyField('pots', () =>
          splitByShares(total, shares, { remainderTo, unit: values.unit }),
        );
      } else {
        const amounts = rows.map((r) => {
          const m = parseMoney(r.amount);
          if ('error' in m) {
            errors.push([`pot${r.index + 1}Amount`, m.error]);
            return 0;
          }
          return m.pence;
        });
        if (errors.length) throw new ValidationFailed(formErrors(errors));
        split = moneyField('pots', () => splitByAmounts(total, amounts));
      }
      const s = split;
      const existing = await potsOf(trx, fund.id);
      const ledger = await ledgerOf(trx, fund);
      const now = nowIso();
      for (const [i, pot] of existing.entries()) {
        const t = potTotals(ledger, String(pot.id));
        const allocated = s.parts[i];
        if (allocated === undefined) {
          const used = await trx
            .selectFrom('funding_proposals')
            .select('id')
            .where('pot_id', '=', pot.id)
            .executeTakeFirst();
          if (used) throw fieldError('pots', messages.potInUse(pot.name));
          await trx.deleteFrom('fund_pots').where('id', '=', pot.id).execute();
        } else if (allocated < t.committed) {
          throw fieldError(
            'pots',
            messages.potCommitted(rows[i]?.name ?? pot.name, formatMoney(t.committed)),
          );
        }
      }
      // Positions are unique: park the kept pots before writing the new order.
      for (const pot of existing.slice(0, rows.length)) {
        await trx
          .updateTable('fund_pots')
          .set({ position: -pot.id })
          .where('id', '=', pot.id)
          .execute();
      }
      for (const [i, r] of rows.entries()) {
        const row = {
          position: i,
          name: r.name,
          allocated_pence: s.parts[i] ?? 0,
          share: values.mode === 'shares' ? Number(r.share) : null,
          remainder_pence: values.mode === 'shares' && i === s.remainderTo ? s.remainderPence : 0,
          updated_at: now,
        };
        const old = existing[i];
        if (old) await trx.updateTable('fund_pots').set(row).where('id', '=', old.id).execute();
        else
          await trx
            .insertInto('fund_pots')
            .values({ ...row, fund_id: fund.id, created_at: now })
            .execute();
      }
      if (total !== fund.amount_pence) {
        await trx
          .updateTable('funds')
          .set({ amount_pence: total, version: fund.version + 1, updated_at: now })
          .where('id', '=', fund.id)
          .execute();
      }
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'fund',
        entityId: fund.id,
        action: 'updated',
        summary: `Split ${fund.name} (${formatMoney(total)}) into ${rows
          .map((r, i) => `${r.name} ${formatMoney(s.parts[i] ?? 0)}`)
          .join(
            ', ',
          )}${s.remainderPence ? `; ${formatMoney(s.remainderPence)} remainder to ${rows[s.remainderTo]?.name ?? ''}` : ''}`,
        before: existing.map((e) => ({ name: e.name, allocated: e.allocated_pence })),
        after: rows.map((r, i) => ({ name: r.name, allocated: s.parts[i] })),
      });
      return s;
    });
  }

  /** Moves allocation between two pots of a fund, as one recorded transaction. */
  async vire(actor: Actor, slug: string, fundId: number, input: unknown): Promise<void> {
    const values = parseInput(virementSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, fund } = await this.managedFund(actor, slug, fundId, trx);
      if (fund.closed_on !== null) throw fieldError('amount', messages.fundClosed);
      const ledger = await ledgerOf(trx, fund);
      if (!ledger.pots.some((x) => x.id === String(values.fromPotId)))
        throw fieldError('fromPotId', messages.fromPotMissing);
      if (!ledger.pots.some((x) => x.id === String(values.toPotId)))
        throw fieldError('toPotId', messages.toPotMissing);
      const after = moneyField('amount', () =>
        vire(ledger, {
          fromPotId: String(values.fromPotId),
          toPotId: String(values.toPotId),
          amount: values.amount,
        }),
      );
      const now = nowIso();
      for (const pot of after.pots) {
        await trx
          .updateTable('fund_pots')
          .set({ allocated_pence: pot.allocated, updated_at: now })
          .where('id', '=', Number(pot.id))
          .execute();
      }
      await trx
        .insertInto('budget_moves')
        .values({
          fund_id: fund.id,
          kind: 'virement',
          from_pot_id: values.fromPotId,
          to_pot_id: values.toPotId,
          amount_pence: values.amount,
          reason: values.reason,
          by_label: actor.label,
          occurred_at: now,
        })
        .execute();
      const from = ledger.pots.find((x) => x.id === String(values.fromPotId));
      const to = ledger.pots.find((x) => x.id === String(values.toPotId));
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'fund',
        entityId: fund.id,
        action: 'updated',
        summary: `Moved ${formatMoney(values.amount)} from the ${from?.name ?? ''} to the ${to?.name ?? ''}: ${values.reason}`,
        before: ledger.pots,
        after: after.pots,
      });
    });
  }

  /** Ends the fund's year: what was not spent is recorded as returned to the funder. */
  async closeYear(
    actor: Actor,
    slug: string,
    fundId: number,
    input: unknown,
  ): Promise<{ granted: number; spent: number; returned: number }> {
    const values = parseInput(closeYearSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const { p, fund } = await this.managedFund(actor, slug, fundId, trx);
      if (fund.closed_on !== null) throw fieldError('closedOn', messages.alreadyClosed);
      const open = await trx
        .selectFrom('funding_proposals')
        .select('id')
        .where('fund_id', '=', fund.id)
        .where('stage', 'in', ['submitted', 'pending'])
        .executeTakeFirst();
      if (open) throw fieldError('closedOn', messages.openProjects);
      const end = yearEnd(await ledgerOf(trx, fund));
      const now = nowIso();
      await trx
        .updateTable('funds')
        .set({
          closed_on: values.closedOn,
          returned_pence: end.returned,
          accepting_proposals: 0,
          version: fund.version + 1,
          updated_at: now,
        })
        .where('id', '=', fund.id)
        .execute();
      await trx
        .insertInto('budget_moves')
        .values({
          fund_id: fund.id,
          kind: 'return',
          amount_pence: end.returned,
          reason: `Underspend returned to the ${fund.source} at the end of the year`,
          by_label: actor.label,
          occurred_at: now,
        })
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'fund',
        entityId: fund.id,
        action: 'updated',
        summary: `Ended the year of ${fund.name}: ${formatMoney(end.granted)} granted, ${formatMoney(end.spent)} spent, ${formatMoney(end.returned)} returned`,
        after: end,
      });
      return end;
    });
  }

  /** The fund's report, counting and listing only what the actor may see. */
  async report(actor: Actor, slug: string, fundId: number): Promise<FundingReport> {
    return buildFundingReport(this, actor, slug, fundId, this.now());
  }

  // -------------------------------------------------------------------------------------------
  // Proposals

  /** Partner agencies, pots, fund priorities and plan themes a proposal can name. */
  async proposalChoices(actor: Actor, slug: string, fundId: number) {
    const { p, fund } = await this.findFund(actor, slug, fundId);
    const [agencies, pots, priorities, themes] = await Promise.all([
      this.db
        .selectFrom('partnership_agencies')
        .innerJoin('agencies', 'agencies.id', 'partnership_agencies.agency_id')
        .select(['agencies.id', 'agencies.name'])
        .where('partnership_agencies.partnership_id', '=', p.id)
        .orderBy('agencies.name')
        .execute(),
      potsOf(this.db, fund.id),
      prioritiesOf(this.db, fund.id),
      partnershipThemes(this.db, p.id),
    ]);
    return {
      fund: { id: fund.id, name: fund.name, year: financialYearLabel({ start: fund.year_start }) },
      agencies,
      pots: pots.map((x) => ({ id: x.id, name: x.name })),
      priorities,
      themes: themes.map((t) => ({ id: t.id, title: t.title, plan: t.periodLabel })),
    };
  }

  private async checkProposal(
    db: DbOrTrx,
    p: PartnershipRow,
    fund: FundRow,
    v: ProposalValues,
  ): Promise<void> {
    const errors: [string, string][] = [];
    const agency = await db
      .selectFrom('partnership_agencies')
      .select('agency_id')
      .where('partnership_id', '=', p.id)
      .where('agency_id', '=', v.leadAgencyId)
      .executeTakeFirst();
    if (!agency) errors.push(['leadAgencyId', messages.agencyUnknown]);
    const pots = await potsOf(db, fund.id);
    if (!pots.some((x) => x.id === v.potId)) errors.push(['potId', messages.potUnknown]);
    const priorities = new Set((await prioritiesOf(db, fund.id)).map((x) => x.id));
    if (v.priorityIds.some((id) => !priorities.has(id)))
      errors.push(['priorityIds', messages.priorityUnknown]);
    const themes = new Set((await partnershipThemes(db, p.id)).map((t) => t.id));
    if (v.themeIds.some((id) => !themes.has(id))) errors.push(['themeIds', messages.themeUnknown]);
    if (errors.length) throw new ValidationFailed(formErrors(errors));
  }

  private async writeTags(db: DbOrTrx, proposalId: number, v: ProposalValues): Promise<void> {
    await db.deleteFrom('proposal_priorities').where('proposal_id', '=', proposalId).execute();
    await db.deleteFrom('proposal_themes').where('proposal_id', '=', proposalId).execute();
    if (v.priorityIds.length)
      await db
        .insertInto('proposal_priorities')
        .values(v.priorityIds.map((priority_id) => ({ proposal_id: proposalId, priority_id })))
        .execute();
    if (v.themeIds.length)
      await db
        .insertInto('proposal_themes')
        .values(v.themeIds.map((theme_id) => ({ proposal_id: proposalId, theme_id })))
        .execute();
  }

  async submitProposal(
    actor: Actor,
    slug: string,
    fundId: number,
    input: unknown,
  ): Promise<{ id: number }> {
    const values = parseInput(proposalSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const { p, fund } = await this.findFund(actor, slug, fundId, trx);
      const role = actor.roles.get(p.id);
      if (!actor.isAdmin && role !== 'lead' && role !== 'coordinator') {
        throw new ForbiddenError('Only partner leads and coordinators can submit proposals');
      }
      if (fund.accepting_proposals !== 1 || fund.closed_on !== null) {
        throw fieldError('title', messages.fundNotOpen);
      }
      await this.checkProposal(trx, p, fund, values);
      const now = this.now();
      const { id } = await trx
        .insertInto('funding_proposals')
        .values({
          fund_id: fund.id,
          pot_id: values.potId,
          title: values.title,
          lead_agency_id: values.leadAgencyId,
          submitted_by_user_id: actor.userId,
          submitted_by_label: actor.label,
          requested_pence: values.requested,
          summary: values.summary,
          expected_outcomes: values.expectedOutcomes,
          audience: values.audience,
          reach: values.reach,
          delivery_start: values.deliveryStart ?? null,
          delivery_end: values.deliveryEnd ?? null,
          stage: 'received',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.writeTags(trx, id, values);
      await this.stageEvent(trx, actor, id, null, 'received', 'Proposal submitted');
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'funding-proposal',
        entityId: id,
        action: 'created',
        summary: `Submitted the proposal ${values.title} for ${formatMoney(values.requested)} to ${fund.name}`,
        after: values,
      });
      return { id };
    });
  }

  async updateProposal(
    actor: Actor,
    slug: string,
    proposalId: number,
    input: unknown,
  ): Promise<void> {
    const values = parseInput(proposalSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const found = await this.findProposal(actor, slug, proposalId, trx);
      if (!this.canEdit(actor, found)) {
        if (!found.manage && !this.isOwn(actor, found.proposal))
          throw new ForbiddenError('Only the proposal’s author and coordinators can change it');
        throw fieldError('title', messages.notEditable);
      }
      await this.checkProposal(trx, found.p, found.fund, values);
      await trx
        .updateTable('funding_proposals')
        .set({
          pot_id: values.potId,
          title: values.title,
          lead_agency_id: values.leadAgencyId,
          requested_pence: values.requested,
          summary: values.summary,
          expected_outcomes: values.expectedOutcomes,
          audience: values.audience,
          reach: values.reach,
          delivery_start: values.deliveryStart ?? null,
          delivery_end: values.deliveryEnd ?? null,
          version: found.proposal.version + 1,
          updated_at: this.now(),
        })
        .where('id', '=', proposalId)
        .execute();
      await this.writeTags(trx, proposalId, values);
      await recordAudit(trx, actor, {
        partnershipId: found.p.id,
        entityType: 'funding-proposal',
        entityId: proposalId,
        action: 'updated',
        summary: `Changed the proposal ${values.title}`,
        before: found.proposal,
        after: values,
      });
    });
  }

  private isOwn(actor: Actor, proposal: { submitted_by_user_id: number | null }): boolean {
    return actor.userId !== null && proposal.submitted_by_user_id === actor.userId;
  }

  /** Authors until shortlisting; coordinators until it is submitted for approval. */
  private canEdit(
    actor: Actor,
    f: { manage: boolean; stage: Stage; proposal: ProposalListRow; fund: FundRow },
  ) {
    if (f.fund.closed_on !== null) return false;
    if (f.manage) return ['received', 'shortlisted', 'detail-requested'].includes(f.stage);
    return this.isOwn(actor, f.proposal) && EDITABLE_STAGES.includes(f.stage);
  }

  async proposal(actor: Actor, slug: string, proposalId: number): Promise<ProposalDetail> {
    const f = await this.findProposal(actor, slug, proposalId);
    const { proposal: x, fund } = f;
    const [priorities, themes, history, votes, voters, decisions, spendRows, outcomes] =
      await Promise.all([
        this.db
          .selectFrom('proposal_priorities')
          .innerJoin('fund_priorities', 'fund_priorities.id', 'proposal_priorities.priority_id')
          .select(['fund_priorities.id', 'fund_priorities.title'])
          .where('proposal_id', '=', x.id)
          .orderBy('fund_priorities.position')
          .execute(),
        this.db
          .selectFrom('proposal_themes')
          .innerJoin('themes', 'themes.id', 'proposal_themes.theme_id')
          .select(['themes.id', 'themes.title'])
          .where('proposal_id', '=', x.id)
          .orderBy('themes.position')
          .execute(),
        this.db
          .selectFrom('proposal_stage_events')
          .selectAll()
          .where('proposal_id', '=', x.id)
          .orderBy('id')
          .execute(),
        this.db
          .selectFrom('proposal_votes')
          .innerJoin('users', 'users.id', 'proposal_votes.user_id')
          .select(['users.id', 'users.name', 'proposal_votes.choice'])
          .where('proposal_id', '=', x.id)
          .orderBy('users.name')
          .execute(),
        groupVoters(this.db, f.p.id, fund.working_group_id),
        this.db
          .selectFrom('proposal_decisions')
          .selectAll()
          .where('proposal_id', '=', x.id)
          .orderBy('decider')
          .execute(),
        this.db
          .selectFrom('spend_entries')
          .selectAll()
          .where('proposal_id', '=', x.id)
          .orderBy('paid_on')
          .orderBy('id')
          .execute(),
        this.outcomesOf(this.db, [x.id]),
      ]);
    const spent = spendRows.reduce((a, s) => a + s.amount_pence, 0);
    const seeVotes = f.manage || f.voter;
    const myVote = votes.find((v) => v.id === actor.userId)?.choice as VoteChoice | undefined;
    const votingOpen = this.votingOpen(x);
    const own = this.isOwn(actor, x);
    return {
      ...toSummary(x, spent),
      fund: {
        id: fund.id,
        name: fund.name,
        year: financialYearLabel({ start: fund.year_start }),
        closed: fund.closed_on !== null,
      },
      submittedBy: x.submitted_by_label,
      summary: x.summary,
      expectedOutcomes: x.expected_outcomes,
      audience: x.audience,
      reach: x.reach,
      deliveryStart: x.delivery_start,
      deliveryEnd: x.delivery_end,
      priorities,
      themes,
      createdAt: x.created_at,
      history: history.map((h) => ({
        from: h.from_stage as Stage | null,
        to: h.to_stage as Stage,
        reason: h.reason,
        by: h.by_label,
        at: h.occurred_at,
      })),
      voting: {
        opensAt: x.voting_opens_at,
        closesAt: x.voting_closes_at,
        open: votingOpen,
        threshold: fund.vote_threshold as Threshold,
        tally: tally(
          votes.map((v) => v.choice as VoteChoice),
          voters.length,
          fund.vote_threshold as Threshold,
        ),
        votes: seeVotes
          ? votes.map((v) => ({ name: v.name, choice: v.choice as VoteChoice }))
          : null,
        myVote: myVote ?? null,
      },
      decisions: decisions.map((d) => ({
        decider: d.decider as Decider,
        deciderLabel: DECIDER_LABELS[d.decider as Decider],
        decision: d.decision as Decision,
        decisionLabel: DECISION_LABELS[d.decision as Decision],
        amount: d.amount_pence,
        decidedOn: d.decided_on,
        note: d.note,
        recordedBy: d.recorded_by_label,
      })),
      spend: spendRows.map((s) => ({
        id: s.id,
        paidOn: s.paid_on,
        amount: s.amount_pence,
        note: s.note,
        overrideReason: s.override_reason,
        recordedBy: s.recorded_by_label,
      })),
      outcomes: outcomes.get(x.id) ?? [],
      nextStages: f.manage
        ? nextStages(f.stage).filter((s) => s !== 'approved' && s !== 'pending')
        : [],
      can: {
        edit: this.canEdit(actor, f),
        manage: f.manage,
        vote: f.voter && votingOpen && VOTING_STAGES.includes(f.stage),
        withdraw: (f.manage || own) && nextStages(f.stage).includes('withdrawn'),
        recordOutcome: (f.manage || own) && isCommitted(f.stage),
      },
    };
  }

  async outcomesOf(db: DbOrTrx, proposalIds: number[]): Promise<Map<number, OutcomeView[]>> {
    const out = new Map<number, OutcomeView[]>();
    if (proposalIds.length === 0) return out;
    const rows = await db
      .selectFrom('proposal_outcomes')
      .selectAll()
      .where('proposal_id', 'in', proposalIds)
      .orderBy('id')
      .execute();
    const reach = rows.length
      ? await db
          .selectFrom('outcome_reach')
          .selectAll()
          .where(
            'outcome_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('position')
          .execute()
      : [];
    for (const r of rows) {
      const list = out.get(r.proposal_id) ?? [];
      list.push({
        id: r.id,
        sessionsDelivered: r.sessions_delivered,
        reach: reach
          .filter((x) => x.outcome_id === r.id)
          .map((x) => ({ audience: x.audience, people: x.people })),
        feedback: r.feedback,
        narrative: r.narrative,
        evidenceLinks: r.evidence_links === '' ? [] : r.evidence_links.split('\n'),
        recordedBy: r.recorded_by_label,
        recordedAt: r.recorded_at,
      });
      out.set(r.proposal_id, list);
    }
    return out;
  }

  private votingOpen(x: { voting_opens_at: string | null; voting_closes_at: string | null }) {
    return (
      x.voting_opens_at !== null &&
      x.voting_closes_at !== null &&
      x.voting_opens_at <= this.now() &&
      this.now() < x.voting_closes_at
    );
  }

  private async stageEvent(
    db: DbOrTrx,
    actor: Actor,
    proposalId: number,
    from: Stage | null,
    to: Stage,
    reason: string,
  ): Promise<void> {
    await db
      .insertInto('proposal_stage_events')
      .values({
        proposal_id: proposalId,
        from_stage: from,
        to_stage: to,
        reason,
        by_user_id: actor.userId,
        by_label: actor.label,
        occurred_at: this.now(),
      })
      .execute();
  }

  private async setStage(
    db: DbOrTrx,
    actor: Actor,
    f: { p: PartnershipRow; proposal: ProposalListRow; stage: Stage },
    to: Stage,
    reason: string,
    approved?: number,
  ): Promise<void> {
    stageField('to', () => {
      assertMove(f.stage, to);
    });
    await db
      .updateTable('funding_proposals')
      .set({
        stage: to,
        ...(approved === undefined ? {} : { approved_pence: approved }),
        version: f.proposal.version + 1,
        updated_at: this.now(),
      })
      .where('id', '=', f.proposal.id)
      .execute();
    await this.stageEvent(db, actor, f.proposal.id, f.stage, to, reason);
    await recordAudit(db, actor, {
      partnershipId: f.p.id,
      entityType: 'funding-proposal',
      entityId: f.proposal.id,
      action: 'updated',
      summary: `Moved ${f.proposal.title} from ${STAGE_LABELS[f.stage].toLowerCase()} to ${STAGE_LABELS[to].toLowerCase()}: ${reason}`,
      before: { stage: f.stage },
      after: { stage: to, ...(approved === undefined ? {} : { approvedPence: approved }) },
    });
  }

  /**
   * Moves a proposal to another stage, recording who, when and why. Coordinators make every
   * move; an author may withdraw their own. Approval and "pending" follow from the decisions.
   */
  async moveStage(actor: Actor, slug: string, proposalId: number, input: unknown): Promise<void> {
    const values = parseInput(stageMoveSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const f = await this.findProposal(actor, slug, proposalId, trx);
      const own = this.isOwn(actor, f.proposal);
      if (!f.manage && !(own && values.to === 'withdrawn')) {
        throw new ForbiddenError('Only the partnership’s coordinators can move a proposal');
      }
      stageField('to', () => {
        assertMove(f.stage, values.to);
      });
      if (values.to === 'approved' || values.to === 'pending') {
        throw fieldError('to', messages.useDecisions);
      }
      if (values.to === 'shortlisted') {
        const x = f.proposal;
        if (x.voting_closes_at === null) throw fieldError('to', messages.noVote);
        if (this.now() < x.voting_closes_at) throw fieldError('to', messages.voteStillOpen);
        const [votes, voters] = await Promise.all([
          trx
            .selectFrom('proposal_votes')
            .select('choice')
            .where('proposal_id', '=', x.id)
            .execute(),
          groupVoters(trx, f.p.id, f.fund.working_group_id),
        ]);
        const t = tally(
          votes.map((v) => v.choice as VoteChoice),
          voters.length,
          f.fund.vote_threshold as Threshold,
        );
        if (!t.met) throw fieldError('to', messages.voteNotMet);
      }
      if (values.to === 'delivered') {
        const outcome = await trx
          .selectFrom('proposal_outcomes')
          .select('id')
          .where('proposal_id', '=', f.proposal.id)
          .executeTakeFirst();
        if (!outcome) throw fieldError('to', messages.noOutcome);
      }
      await this.setStage(trx, actor, f, values.to, values.reason);
    });
  }

  /** Opens (or extends) the working group's vote on a proposal until the end of a day. */
  async openVoting(actor: Actor, slug: string, proposalId: number, input: unknown): Promise<void> {
    const values = parseInput(openVotingSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const f = await this.findProposal(actor, slug, proposalId, trx);
      if (!f.manage)
        throw new ForbiddenError('Only the partnership’s coordinators can open a vote');
      if (f.fund.working_group_id === null) throw fieldError('closesOn', messages.noWorkingGroup);
      if (!VOTING_STAGES.includes(f.stage)) throw fieldError('closesOn', messages.votingStage);
      const closesAt = endOfDay(values.closesOn);
      if (closesAt <= this.now()) throw fieldError('closesOn', messages.closesPast);
      await trx
        .updateTable('funding_proposals')
        .set({
          voting_opens_at: f.proposal.voting_opens_at ?? this.now(),
          voting_closes_at: closesAt,
          updated_at: this.now(),
        })
        .where('id', '=', f.proposal.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: f.p.id,
        entityType: 'funding-proposal',
        entityId: f.proposal.id,
        action: 'updated',
        summary: `Opened voting on ${f.proposal.title} until ${values.closesOn}`,
        before: { votingClosesAt: f.proposal.voting_closes_at },
        after: { votingClosesAt: closesAt },
      });
    });
  }

  /** Closes an open vote now, as the chair does at the end of the meeting. */
  async closeVoting(actor: Actor, slug: string, proposalId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const f = await this.findProposal(actor, slug, proposalId, trx);
      if (!f.manage)
        throw new ForbiddenError('Only the partnership’s coordinators can close a vote');
      if (!this.votingOpen(f.proposal)) throw fieldError('closesOn', messages.votingNotOpen);
      const now = this.now();
      await trx
        .updateTable('funding_proposals')
        .set({ voting_closes_at: now, updated_at: now })
        .where('id', '=', f.proposal.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: f.p.id,
        entityType: 'funding-proposal',
        entityId: f.proposal.id,
        action: 'updated',
        summary: `Closed voting on ${f.proposal.title}`,
        before: { votingClosesAt: f.proposal.voting_closes_at },
        after: { votingClosesAt: now },
      });
    });
  }

  /**
   * A working-group member's vote. `change` says the member means to change the vote they
   * cast; without it a second vote is refused, so a vote is never replaced by accident.
   */
  async vote(
    actor: Actor,
    slug: string,
    proposalId: number,
    input: unknown,
    options: { change?: boolean } = {},
  ): Promise<Tally> {
    const values = parseInput(voteSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const f = await this.findProposal(actor, slug, proposalId, trx);
      if (!f.voter || actor.userId === null) throw new ForbiddenError(messages.notVoter);
      const x = f.proposal;
      if (!VOTING_STAGES.includes(f.stage)) throw fieldError('choice', messages.votingStage);
      if (x.voting_closes_at !== null && this.now() >= x.voting_closes_at)
        throw fieldError('choice', messages.votingClosed);
      if (!this.votingOpen(x)) throw fieldError('choice', messages.votingNotOpen);
      const existing = await trx
        .selectFrom('proposal_votes')
        .selectAll()
        .where('proposal_id', '=', x.id)
        .where('user_id', '=', actor.userId)
        .executeTakeFirst();
      const now = this.now();
      if (existing && !options.change) throw fieldError('choice', messages.alreadyVoted);
      if (!existing && options.change) throw fieldError('choice', messages.noVoteToChange);
      if (existing) {
        await trx
          .updateTable('proposal_votes')
          .set({ choice: values.choice, updated_at: now })
          .where('proposal_id', '=', x.id)
          .where('user_id', '=', actor.userId)
          .execute();
      } else {
        await trx
          .insertInto('proposal_votes')
          .values({
            proposal_id: x.id,
            user_id: actor.userId,
            choice: values.choice,
            cast_at: now,
            updated_at: now,
          })
          .execute();
      }
      await recordAudit(trx, actor, {
        partnershipId: f.p.id,
        entityType: 'funding-proposal',
        entityId: x.id,
        action: existing ? 'updated' : 'added',
        summary: `${existing ? 'Changed a vote' : 'Voted'} on ${x.title}: ${values.choice}`,
        before: existing ? { choice: existing.choice } : undefined,
        after: { choice: values.choice },
      });
      const [votes, voters] = await Promise.all([
        trx.selectFrom('proposal_votes').select('choice').where('proposal_id', '=', x.id).execute(),
        groupVoters(trx, f.p.id, f.fund.working_group_id),
      ]);
      return tally(
        votes.map((v) => v.choice as VoteChoice),
        voters.length,
        f.fund.vote_threshold as Threshold,
      );
    });
  }

  /**
   * Records the chair's or the funder's decision on a proposal submitted for approval. The
   * proposal is approved only when both have approved the same amount; declined when either
   * declines; pending otherwise. Approving past what is left in the pot needs a reason.
   */
  async decide(actor: Actor, slug: string, proposalId: number, input: unknown): Promise<Stage> {
    const values = parseInput(decisionSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const f = await this.findProposal(actor, slug, proposalId, trx);
      if (!f.manage)
        throw new ForbiddenError('Only the partnership’s coordinators record decisions');
      if (f.stage !== 'submitted' && f.stage !== 'pending')
        throw fieldError('decision', messages.notForDecision);
      if (f.fund.closed_on !== null) throw fieldError('decision', messages.fundClosed);
      const now = this.now();
      const row = {
        decision: values.decision,
        amount_pence: values.amount ?? null,
        decided_on: values.decidedOn,
        note: values.note,
        recorded_by_label: actor.label,
        recorded_at: now,
      };
      const before = await trx
        .selectFrom('proposal_decisions')
        .selectAll()
        .where('proposal_id', '=', f.proposal.id)
        .where('decider', '=', values.decider)
        .executeTakeFirst();
      if (before) {
        await trx
          .updateTable('proposal_decisions')
          .set(row)
          .where('proposal_id', '=', f.proposal.id)
          .where('decider', '=', values.decider)
          .execute();
      } else {
        await trx
          .insertInto('proposal_decisions')
          .values({ ...row, proposal_id: f.proposal.id, decider: values.decider })
          .execute();
      }
      await recordAudit(trx, actor, {
        partnershipId: f.p.id,
        entityType: 'funding-proposal',
        entityId: f.proposal.id,
        action: before ? 'updated' : 'added',
        summary: `Recorded the ${values.decider}’s decision on ${f.proposal.title}: ${DECISION_LABELS[values.decision].toLowerCase()}${values.amount === undefined ? '' : ` ${formatMoney(values.amount)}`}`,
        before,
        after: row,
      });
      const all = await trx
        .selectFrom('proposal_decisions')
        .selectAll()
        .where('proposal_id', '=', f.proposal.id)
        .execute();
      const result = stageField('amount', () =>
        outcomeOfDecisions(
          all.map((d) => ({
            decider: d.decider as Decider,
            decision: d.decision as Decision,
            amount: d.amount_pence,
          })),
        ),
      );
      const who = DECIDER_LABELS[values.decider];
      const because = `${who}: ${DECISION_LABELS[values.decision].toLowerCase()}${values.note ? ` (${values.note})` : ''}`;
      if (result.stage === 'approved') {
        const ledger = await ledgerOf(trx, f.fund);
        const potId = String(f.proposal.pot_id);
        const { remaining } = potTotals(ledger, potId);
        const over = result.amount > remaining;
        if (over && values.overrideReason === '') {
          moneyField('overrideReason', () =>
            approve(ledger, { projectId: String(f.proposal.id), potId, amount: result.amount }),
          );
        }
        moneyField('amount', () =>
          approve(ledger, {
            projectId: String(f.proposal.id),
            potId,
            amount: result.amount,
            override: over,
          }),
        );
        if (over) {
          await trx
            .insertInto('budget_moves')
            .values({
              fund_id: f.fund.id,
              kind: 'approval-override',
              from_pot_id: f.proposal.pot_id,
              proposal_id: f.proposal.id,
              amount_pence: result.amount - Math.max(0, remaining),
              reason: values.overrideReason,
              by_label: actor.label,
              occurred_at: now,
            })
            .execute();
          await recordAudit(trx, actor, {
            partnershipId: f.p.id,
            entityType: 'fund',
            entityId: f.fund.id,
            action: 'updated',
            summary: `Approved ${f.proposal.title} for ${formatMoney(result.amount)}, ${formatMoney(result.amount - Math.max(0, remaining))} past what was left in the ${f.proposal.pot_name}: ${values.overrideReason}`,
          });
        }
        await this.setStage(
          trx,
          actor,
          f,
          'approved',
          `Approved by the chair and the funder (${because})`,
          result.amount,
        );
      } else if (result.stage === 'declined') {
        await this.setStage(trx, actor, f, 'declined', because);
      } else if (f.stage === 'submitted') {
        await this.setStage(trx, actor, f, 'pending', because);
      } else {
        await this.stageEvent(trx, actor, f.proposal.id, f.stage, f.stage, because);
      }
      return result.stage;
    });
  }

  /** A payment or claim for an approved project; past the approved amount only with a reason. */
  async recordSpend(actor: Actor, slug: string, proposalId: number, input: unknown): Promise<void> {
    const values = parseInput(spendSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const f = await this.findProposal(actor, slug, proposalId, trx);
      if (!f.manage) throw new ForbiddenError('Only the partnership’s coordinators record spend');
      if (!isCommitted(f.stage)) throw fieldError('amount', messages.spendStage);
      if (f.fund.closed_on !== null) throw fieldError('amount', messages.fundClosed);
      const ledger = await ledgerOf(trx, f.fund);
      const project = ledger.projects.find((x) => x.id === String(f.proposal.id));
      const left = (project?.approved ?? 0) - (project?.spent ?? 0);
      const over = values.amount > left;
      if (over && values.overrideReason === '') {
        moneyField('overrideReason', () =>
          spend(ledger, { projectId: String(f.proposal.id), amount: values.amount }),
        );
      }
      moneyField('amount', () =>
        spend(ledger, { projectId: String(f.proposal.id), amount: values.amount, override: over }),
      );
      const now = this.now();
      const { id } = await trx
        .insertInto('spend_entries')
        .values({
          proposal_id: f.proposal.id,
          paid_on: values.paidOn,
          amount_pence: values.amount,
          note: values.note,
          override_reason: over ? values.overrideReason : null,
          recorded_by_label: actor.label,
          recorded_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (over) {
        await trx
          .insertInto('budget_moves')
          .values({
            fund_id: f.fund.id,
            kind: 'spend-override',
            proposal_id: f.proposal.id,
            amount_pence: values.amount - Math.max(0, left),
            reason: values.overrideReason,
            by_label: actor.label,
            occurred_at: now,
          })
          .execute();
      }
      await recordAudit(trx, actor, {
        partnershipId: f.p.id,
        entityType: 'funding-proposal',
        entityId: f.proposal.id,
        action: 'added',
        summary: `Recorded ${formatMoney(values.amount)} spent on ${f.proposal.title}${over ? `, past the approved amount: ${values.overrideReason}` : ''}`,
        after: { id, ...values },
      });
    });
  }

  async recordOutcome(
    actor: Actor,
    slug: string,
    proposalId: number,
    input: unknown,
  ): Promise<void> {
    const values = parseInput(outcomeSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const f = await this.findProposal(actor, slug, proposalId, trx);
      if (!f.manage && !this.isOwn(actor, f.proposal))
        throw new ForbiddenError('Only the project’s author and coordinators record outcomes');
      if (!isCommitted(f.stage)) throw fieldError('narrative', messages.outcomeStage);
      const { id } = await trx
        .insertInto('proposal_outcomes')
        .values({
          proposal_id: f.proposal.id,
          sessions_delivered: values.sessionsDelivered ?? null,
          feedback: values.feedback,
          narrative: values.narrative,
          evidence_links: values.evidenceLinks.join('\n'),
          recorded_by_label: actor.label,
          recorded_at: this.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (values.reach.length)
        await trx
          .insertInto('outcome_reach')
          .values(values.reach.map((r, position) => ({ outcome_id: id, position, ...r })))
          .execute();
      await recordAudit(trx, actor, {
        partnershipId: f.p.id,
        entityType: 'funding-proposal',
        entityId: f.proposal.id,
        action: 'added',
        summary: `Recorded outcomes of ${f.proposal.title}`,
        after: values,
      });
    });
  }
}

function toSummary(x: ProposalListRow, spent: number): ProposalSummary {
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

export { MAX_POTS };
