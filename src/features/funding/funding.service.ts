import { canReadPartnership, type Actor } from '../../core/actor.js';
import { ValidationFailed } from '../../core/errors.js';
import { fieldError, formErrors, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { PROPOSED_STAGES, type Stage, type Threshold } from '../../domain/funding-stages.js';
import {
  formatMoney,
  fundTotals,
  parseMoney,
  potTotals,
  splitByAmounts,
  splitByShares,
  vire,
  yearEnd,
  type Split,
} from '../../domain/money.js';
import { financialYearLabel } from '../../domain/periods.js';
import { recordAudit } from '../audit/audit.service.js';

import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import {
  fundsOf,
  ledgerOf,
  potsOf,
  prioritiesOf,
  proposalsOf,
  spentByProposal,
} from './funding.repository.js';
import {
  closeYearSchema,
  fundingMessages as messages,
  fundSchema,
  MAX_POTS,
  potSplitSchema,
  virementSchema,
  type FundStatus,
  type FundValues,
} from './funding.schemas.js';
import type { FundRow } from './funding.table.js';
import { buildFundingReport, type FundingReport } from './funding-report.js';
import { FundingAccess, moneyField, toSummary } from './funding-access.js';
import { ProposalsService } from './proposals.service.js';
import type { BudgetMove, FundDetail, FundSummary } from './funding.types.js';

export type * from './funding.types.js';

/** Grant funds of a partnership: pots, budget moves, the year end and the report. */
export class FundingService extends FundingAccess {
  /** The proposals made to the partnership's funds, on the same clock. */
  readonly proposals: ProposalsService;

  constructor(db: Db, partnerships: PartnershipsService, now: () => string = nowIso) {
    super(db, partnerships, now);
    this.proposals = new ProposalsService(db, partnerships, now);
  }

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
      const now = this.now();
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
          updated_at: this.now(),
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
      const now = this.now();
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
      const now = this.now();
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
      const now = this.now();
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
}

export { MAX_POTS };
