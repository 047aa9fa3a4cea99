import type { DbOrTrx } from '../../db/database.js';
import { COMMITTED_STAGES, type Stage } from '../../domain/funding-stages.js';
import type { Ledger } from '../../domain/money.js';
import type { FundPotRow, FundRow, ProposalRow } from './funding.table.js';

export async function fundRow(
  db: DbOrTrx,
  partnershipId: number,
  fundId: number,
): Promise<FundRow | undefined> {
  return db
    .selectFrom('funds')
    .selectAll()
    .where('id', '=', fundId)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
}

export async function fundsOf(db: DbOrTrx, partnershipIds: number[]): Promise<FundRow[]> {
  if (partnershipIds.length === 0) return [];
  return db
    .selectFrom('funds')
    .selectAll()
    .where('partnership_id', 'in', partnershipIds)
    .orderBy('year_start', 'desc')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function potsOf(db: DbOrTrx, fundId: number): Promise<FundPotRow[]> {
  return db
    .selectFrom('fund_pots')
    .selectAll()
    .where('fund_id', '=', fundId)
    .orderBy('position')
    .execute();
}

export async function prioritiesOf(
  db: DbOrTrx,
  fundId: number,
): Promise<{ id: number; title: string }[]> {
  return db
    .selectFrom('fund_priorities')
    .select(['id', 'title'])
    .where('fund_id', '=', fundId)
    .orderBy('position')
    .execute();
}

export interface ProposalListRow extends ProposalRow {
  lead_agency_name: string;
  pot_name: string;
}

export async function proposalsOf(db: DbOrTrx, fundId: number): Promise<ProposalListRow[]> {
  return db
    .selectFrom('funding_proposals')
    .innerJoin('agencies', 'agencies.id', 'funding_proposals.lead_agency_id')
    .innerJoin('fund_pots', 'fund_pots.id', 'funding_proposals.pot_id')
    .selectAll('funding_proposals')
    .select(['agencies.name as lead_agency_name', 'fund_pots.name as pot_name'])
    .where('funding_proposals.fund_id', '=', fundId)
    .orderBy('funding_proposals.id')
    .execute();
}

/** The proposal and its fund, if the fund is the partnership's. */
export async function proposalWithFund(
  db: DbOrTrx,
  partnershipId: number,
  proposalId: number,
): Promise<{ proposal: ProposalListRow; fund: FundRow } | undefined> {
  const proposal = await db
    .selectFrom('funding_proposals')
    .innerJoin('funds', 'funds.id', 'funding_proposals.fund_id')
    .innerJoin('agencies', 'agencies.id', 'funding_proposals.lead_agency_id')
    .innerJoin('fund_pots', 'fund_pots.id', 'funding_proposals.pot_id')
    .selectAll('funding_proposals')
    .select(['agencies.name as lead_agency_name', 'fund_pots.name as pot_name'])
    .where('funding_proposals.id', '=', proposalId)
    .where('funds.partnership_id', '=', partnershipId)
    .executeTakeFirst();
  if (!proposal) return undefined;
  const fund = await fundRow(db, partnershipId, proposal.fund_id);
  return fund ? { proposal, fund } : undefined;
}

/** Spend by proposal, in pence. */
export async function spentByProposal(db: DbOrTrx, fundId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('spend_entries')
    .innerJoin('funding_proposals', 'funding_proposals.id', 'spend_entries.proposal_id')
    .select(['spend_entries.proposal_id', 'spend_entries.amount_pence'])
    .where('funding_proposals.fund_id', '=', fundId)
    .execute();
  const out = new Map<number, number>();
  for (const r of rows) out.set(r.proposal_id, (out.get(r.proposal_id) ?? 0) + r.amount_pence);
  return out;
}

/**
 * The fund's ledger from its records: each pot's allocation, and for every project with an
 * approved amount, that amount (a withdrawn project keeps only what it had spent) and its spend.
 */
export async function ledgerOf(db: DbOrTrx, fund: FundRow): Promise<Ledger> {
  const [pots, proposals, spent] = await Promise.all([
    potsOf(db, fund.id),
    db
      .selectFrom('funding_proposals')
      .select(['id', 'pot_id', 'stage', 'approved_pence'])
      .where('fund_id', '=', fund.id)
      .where('approved_pence', 'is not', null)
      .execute(),
    spentByProposal(db, fund.id),
  ]);
  return {
    fund: fund.amount_pence,
    pots: pots.map((p) => ({ id: String(p.id), name: p.name, allocated: p.allocated_pence })),
    projects: proposals.map((p) => {
      const paid = spent.get(p.id) ?? 0;
      const committed = COMMITTED_STAGES.includes(p.stage as Stage);
      return {
        id: String(p.id),
        potId: String(p.pot_id),
        approved: committed ? (p.approved_pence ?? 0) : paid,
        spent: paid,
      };
    }),
  };
}

/** The partnership's members who sit on the group, in person or through their agency. */
export async function groupVoters(
  db: DbOrTrx,
  partnershipId: number,
  groupId: number | null,
): Promise<{ id: number; name: string }[]> {
  if (groupId === null) return [];
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.name'])
    .where('memberships.partnership_id', '=', partnershipId)
    .where('users.disabled_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('group_members')
          .select('group_members.id')
          .where('group_members.group_id', '=', groupId)
          .where((inner) =>
            inner.or([
              inner('group_members.user_id', '=', inner.ref('users.id')),
              inner('group_members.agency_id', '=', inner.ref('users.agency_id')),
            ]),
          ),
      ),
    )
    .orderBy('users.name')
    .execute();
}
