import { type Actor } from '../../core/actor.js';
import { ForbiddenError, ValidationFailed } from '../../core/errors.js';
import { fieldError, formErrors, parseInput } from '../../core/form-errors.js';
import { type DbOrTrx } from '../../db/database.js';
import {
  assertMove,
  EDITABLE_STAGES,
  outcomeOfDecisions,
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
import { approve, formatMoney, potTotals, spend } from '../../domain/money.js';
import { financialYearLabel } from '../../domain/periods.js';
import { recordAudit } from '../audit/audit.service.js';
import { partnershipThemes } from '../indicators/indicators.repository.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import {
  groupVoters,
  ledgerOf,
  potsOf,
  prioritiesOf,
  type ProposalListRow,
} from './funding.repository.js';
import {
  decisionSchema,
  fundingMessages as messages,
  openVotingSchema,
  outcomeSchema,
  proposalSchema,
  spendSchema,
  stageMoveSchema,
  voteSchema,
  type ProposalValues,
} from './funding.schemas.js';
import type { FundRow } from './funding.table.js';
import {
  FundingAccess,
  isCommitted,
  moneyField,
  stageField,
  endOfDay,
  toSummary,
} from './funding-access.js';
import type { OutcomeView, ProposalDetail } from './funding.types.js';

/** Proposals to a fund: their stages, the working group's votes, decisions, spend, outcomes. */
export class ProposalsService extends FundingAccess {
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
