import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Grant funding: a fund of a partnership for a financial year, split into pots; proposals from
// partners moving through stages (each move kept), the working group's votes, the chair's and
// the funder's decisions, budget moves (virements, overrides, the year-end return), payments and
// outcomes. All money is integer pence. A check on a fund cannot see its pots, so the service
// keeps the pots adding up to the fund, in one transaction with every change to either.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('funds'))
    .addColumn('partnership_id', 'integer', (c) =>
      c.notNull().references('partnerships.id').onDelete('cascade'),
    )
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // The year the financial year starts in: 2023 for 2023/24.
    .addColumn('year_start', 'integer', (c) => c.notNull())
    .addColumn('amount_pence', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('confirmed_on', 'text')
    .addColumn('conditions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('working_group_id', 'integer', (c) => c.references('groups.id').onDelete('set null'))
    .addColumn('vote_threshold', 'text', (c) => c.notNull())
    .addColumn('accepting_proposals', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('closed_on', 'text')
    .addColumn('returned_pence', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('funds_amount', sql`amount_pence >= 0`)
    .addCheckConstraint('funds_status', sql`status in ('indicative', 'confirmed')`)
    .addCheckConstraint(
      'funds_confirmed_on',
      sql`(status = 'confirmed') = (confirmed_on is not null)`,
    )
    .addCheckConstraint('funds_threshold', sql`vote_threshold in ('consensus', 'majority')`)
    .addCheckConstraint(
      'funds_closed',
      sql`(closed_on is null) = (returned_pence is null) and (returned_pence is null or returned_pence >= 0)`,
    )
    .execute();
  await db.schema.createIndex('funds_partnership').on('funds').column('partnership_id').execute();

  await withId(db, db.schema.createTable('fund_priorities'))
    .addColumn('fund_id', 'integer', (c) => c.notNull().references('funds.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addUniqueConstraint('fund_priorities_position', ['fund_id', 'position'])
    .execute();

  await withId(db, db.schema.createTable('fund_pots'))
    .addColumn('fund_id', 'integer', (c) => c.notNull().references('funds.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('allocated_pence', 'integer', (c) => c.notNull())
    // How the split was made: the share given (2 of 3), and what this pot took as remainder.
    .addColumn('share', 'integer')
    .addColumn('remainder_pence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('fund_pots_allocated', sql`allocated_pence >= 0 and remainder_pence >= 0`)
    .addUniqueConstraint('fund_pots_position', ['fund_id', 'position'])
    .execute();

  await withId(db, db.schema.createTable('funding_proposals'))
    .addColumn('fund_id', 'integer', (c) => c.notNull().references('funds.id').onDelete('cascade'))
    .addColumn('pot_id', 'integer', (c) => c.notNull().references('fund_pots.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('lead_agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('submitted_by_user_id', 'integer', (c) =>
      c.references('users.id').onDelete('set null'),
    )
    .addColumn('submitted_by_label', 'text', (c) => c.notNull())
    .addColumn('requested_pence', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('expected_outcomes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reach', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('delivery_start', 'text')
    .addColumn('delivery_end', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    // Set when both decisions approve: the amount committed out of the pot.
    .addColumn('approved_pence', 'integer')
    .addColumn('voting_opens_at', 'text')
    .addColumn('voting_closes_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'funding_proposals_amounts',
      sql`requested_pence > 0 and (approved_pence is null or approved_pence > 0)`,
    )
    .addCheckConstraint(
      'funding_proposals_stage',
      sql`stage in ('received', 'shortlisted', 'detail-requested', 'submitted', 'approved', 'pending', 'declined', 'in-delivery', 'delivered', 'withdrawn')`,
    )
    .addCheckConstraint(
      'funding_proposals_approved',
      sql`(stage not in ('approved', 'in-delivery', 'delivered') or approved_pence is not null) and (approved_pence is null or stage in ('approved', 'in-delivery', 'delivered', 'withdrawn'))`,
    )
    .execute();
  await db.schema
    .createIndex('funding_proposals_fund')
    .on('funding_proposals')
    .column('fund_id')
    .execute();

  await db.schema
    .createTable('proposal_priorities')
    .addColumn('proposal_id', 'integer', (c) =>
      c.notNull().references('funding_proposals.id').onDelete('cascade'),
    )
    .addColumn('priority_id', 'integer', (c) =>
      c.notNull().references('fund_priorities.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('proposal_priorities_pk', ['proposal_id', 'priority_id'])
    .execute();

  await db.schema
    .createTable('proposal_themes')
    .addColumn('proposal_id', 'integer', (c) =>
      c.notNull().references('funding_proposals.id').onDelete('cascade'),
    )
    .addColumn('theme_id', 'integer', (c) =>
      c.notNull().references('themes.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('proposal_themes_pk', ['proposal_id', 'theme_id'])
    .execute();

  await withId(db, db.schema.createTable('proposal_stage_events'))
    .addColumn('proposal_id', 'integer', (c) =>
      c.notNull().references('funding_proposals.id').onDelete('cascade'),
    )
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('by_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('by_label', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('proposal_stage_events_proposal')
    .on('proposal_stage_events')
    .column('proposal_id')
    .execute();

  await db.schema
    .createTable('proposal_votes')
    .addColumn('proposal_id', 'integer', (c) =>
      c.notNull().references('funding_proposals.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('cast_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_votes_pk', ['proposal_id', 'user_id'])
    .addCheckConstraint('proposal_votes_choice', sql`choice in ('support', 'oppose', 'abstain')`)
    .execute();

  await db.schema
    .createTable('proposal_decisions')
    .addColumn('proposal_id', 'integer', (c) =>
      c.notNull().references('funding_proposals.id').onDelete('cascade'),
    )
    .addColumn('decider', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('amount_pence', 'integer')
    .addColumn('decided_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recorded_by_label', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('proposal_decisions_pk', ['proposal_id', 'decider'])
    .addCheckConstraint('proposal_decisions_decider', sql`decider in ('chair', 'funder')`)
    .addCheckConstraint(
      'proposal_decisions_decision',
      sql`decision in ('approve', 'pending', 'decline') and ((decision = 'approve') = (amount_pence is not null)) and (amount_pence is null or amount_pence > 0)`,
    )
    .execute();

  await withId(db, db.schema.createTable('budget_moves'))
    .addColumn('fund_id', 'integer', (c) => c.notNull().references('funds.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_pot_id', 'integer', (c) => c.references('fund_pots.id'))
    .addColumn('to_pot_id', 'integer', (c) => c.references('fund_pots.id'))
    .addColumn('proposal_id', 'integer', (c) =>
      c.references('funding_proposals.id').onDelete('cascade'),
    )
    .addColumn('amount_pence', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('by_label', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'budget_moves_kind',
      sql`kind in ('virement', 'approval-override', 'spend-override', 'return')`,
    )
    .addCheckConstraint('budget_moves_amount', sql`amount_pence >= 0`)
    .execute();
  await db.schema.createIndex('budget_moves_fund').on('budget_moves').column('fund_id').execute();

  await withId(db, db.schema.createTable('spend_entries'))
    .addColumn('proposal_id', 'integer', (c) =>
      c.notNull().references('funding_proposals.id').onDelete('cascade'),
    )
    .addColumn('paid_on', 'text', (c) => c.notNull())
    .addColumn('amount_pence', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('override_reason', 'text')
    .addColumn('recorded_by_label', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addCheckConstraint('spend_entries_amount', sql`amount_pence > 0`)
    .execute();
  await db.schema
    .createIndex('spend_entries_proposal')
    .on('spend_entries')
    .column('proposal_id')
    .execute();

  await withId(db, db.schema.createTable('proposal_outcomes'))
    .addColumn('proposal_id', 'integer', (c) =>
      c.notNull().references('funding_proposals.id').onDelete('cascade'),
    )
    .addColumn('sessions_delivered', 'integer')
    .addColumn('feedback', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
    // One link a line.
    .addColumn('evidence_links', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recorded_by_label', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'proposal_outcomes_sessions',
      sql`sessions_delivered is null or sessions_delivered >= 0`,
    )
    .execute();
  await db.schema
    .createIndex('proposal_outcomes_proposal')
    .on('proposal_outcomes')
    .column('proposal_id')
    .execute();

  await db.schema
    .createTable('outcome_reach')
    .addColumn('outcome_id', 'integer', (c) =>
      c.notNull().references('proposal_outcomes.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('outcome_reach_pk', ['outcome_id', 'position'])
    .addCheckConstraint('outcome_reach_people', sql`people >= 0`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outcome_reach',
    'proposal_outcomes',
    'spend_entries',
    'budget_moves',
    'proposal_decisions',
    'proposal_votes',
    'proposal_stage_events',
    'proposal_themes',
    'proposal_priorities',
    'funding_proposals',
    'fund_pots',
    'fund_priorities',
    'funds',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
