import { z } from 'zod';
import { idField, optionalText, requiredText } from '../../core/schema-helpers.js';
import {
  DECIDERS,
  DECISIONS,
  STAGES,
  THRESHOLDS,
  VOTE_CHOICES,
} from '../../domain/funding-stages.js';
import { parseMoney } from '../../domain/money.js';
import { parseFinancialYear, parseDateAsWritten, PeriodError } from '../../domain/periods.js';
import { optional, periodText } from '../plans/plans.schemas.js';

export const FUND_STATUSES = ['indicative', 'confirmed'] as const;
export type FundStatus = (typeof FUND_STATUSES)[number];
export const FUND_STATUS_LABELS: Record<FundStatus, string> = {
  indicative: 'Indicative',
  confirmed: 'Confirmed',
};

export const MAX_POTS = 10;

export const fundingMessages = {
  sourceEmpty: 'Enter who gives the fund, like Police and Crime Commissioner',
  sourceTooLong: 'Source must be 200 characters or fewer',
  nameEmpty: 'Enter the fund’s name, like Crime Reduction Grant',
  nameTooLong: 'Name must be 200 characters or fewer',
  yearEmpty: 'Enter the financial year, like 2023/24',
  amountEmpty: 'Enter the amount of the fund, like £39,661',
  statusMissing: 'Select whether the amount is indicative or confirmed',
  confirmedOnMissing: 'Enter the date the amount was confirmed, like 30/06/2023',
  confirmedOnIndicative: 'Leave the date confirmed empty while the amount is indicative',
  conditionsTooLong: 'Conditions must be 5,000 characters or fewer',
  priorityTooLong: 'Each priority must be 200 characters or fewer',
  tooManyPriorities: 'A fund can have at most 20 priorities',
  groupUnknown: 'Select one of the partnership’s groups as the working group',
  thresholdMissing: 'Select the threshold a vote must meet: consensus or majority',
  potsMissing: 'Give each pot a name and a share or an amount',
  potNameTooLong: 'Pot name must be 100 characters or fewer',
  potNameRepeated: 'Give each pot a different name',
  shareBad: 'Share must be a whole number, like 2 for two thirds of 3',
  remainderMissing: 'Select the pot that takes the remainder',
  splitModeMissing: 'Select whether to split by shares or by amounts',
  potCommitted: (pot: string, committed: string) =>
    `The ${pot} already has ${committed} committed: give it at least that much`,
  potInUse: (pot: string) => `The ${pot} has proposals, so it cannot be removed`,
  fundClosed: 'This fund’s year has ended, so its money cannot change',
  fundNotOpen: 'This fund is not accepting proposals',
  titleEmpty: 'Enter the project’s title',
  titleTooLong: 'Title must be 200 characters or fewer',
  agencyUnknown: 'Select one of the partnership’s agencies as the lead agency',
  potUnknown: 'Select one of the fund’s pots',
  requestedEmpty: 'Enter the amount requested, like £4,200',
  amountZero: 'Amount must be more than £0',
  textTooLong: 'Each text must be 10,000 characters or fewer',
  audienceTooLong: 'Audience must be 500 characters or fewer',
  reachTooLong: 'Reach must be 500 characters or fewer',
  deliveryOrder: 'Delivery end must be on or after the delivery start',
  priorityUnknown: 'Select the fund’s own priorities',
  themeUnknown: 'Select themes of the partnership’s plans',
  notEditable: 'Only proposals still being received can be changed',
  stageMissing: 'Select the stage to move the proposal to',
  reasonEmpty: 'Enter the reason for the move',
  reasonTooLong: 'Reason must be 2,000 characters or fewer',
  useDecisions: 'Record the chair’s and the funder’s decisions to approve a proposal',
  voteNotMet: 'The vote has not met the fund’s threshold, so the proposal cannot be shortlisted',
  voteStillOpen: 'Voting on this proposal is still open: wait until it closes to shortlist it',
  noVote: 'Open a vote on the proposal and let it close before shortlisting it',
  noOutcome: 'Record the project’s outcomes before marking it delivered',
  closesEmpty: 'Enter the date voting closes, like 24/04/2023',
  closesPast: 'Voting must close after today',
  noWorkingGroup: 'Choose the fund’s working group before opening a vote',
  votingStage: 'Votes can only be taken before a proposal is submitted for approval',
  choiceMissing: 'Select support, oppose or abstain',
  notVoter: 'Only members of the fund’s working group can vote',
  votingNotOpen: 'Voting on this proposal is not open',
  votingClosed: 'Voting on this proposal has closed',
  alreadyVoted: 'You have already voted on this proposal: change your vote instead',
  noVoteToChange: 'You have not voted on this proposal yet',
  deciderMissing: 'Select whose decision this is: the chair’s or the funder’s',
  decisionMissing: 'Select the decision: approved, pending or declined',
  decisionAmountEmpty: 'Enter the amount approved, like £4,200',
  decisionAmountNotApproved: 'Leave the amount empty unless the decision is to approve',
  decidedOnEmpty: 'Enter the date of the decision, like 30/06/2023',
  notForDecision: 'Decisions are recorded once a proposal is submitted for approval',
  overrideTooLong: 'Override reason must be 2,000 characters or fewer',
  paidOnEmpty: 'Enter the date of the payment, like 31/03/2023',
  spendStage: 'Spend can only be recorded for approved projects',
  noteTooLong: 'Note must be 2,000 characters or fewer',
  sessionsBad: 'Sessions delivered must be a whole number, 0 or more',
  reachLineBad:
    'Write each line of people reached as an audience, a colon and a number, like Pupils: 900',
  outcomeStage: 'Outcomes can only be recorded for approved projects',
  outcomeEmpty: 'Enter at least one outcome: sessions, people reached, feedback or a narrative',
  linkBad: 'Each evidence link must be a web address starting with https:// or http://',
  closedOnEmpty: 'Enter the date the year ended, like 31/03/2023',
  alreadyClosed: 'This fund’s year has already ended',
  openProjects: 'Projects are still being decided: decide, decline or withdraw them first',
  fromPotMissing: 'Select the pot to move money from',
  toPotMissing: 'Select the pot to move money to',
  virementReasonEmpty: 'Enter the reason for moving the money',
  overrideNeeded: 'Enter a reason to go past the limit, or change the amount',
};

/** An amount of money as typed, to pence; refused with the money module's wording. */
export function moneyText(empty: string, options: { positive?: boolean } = {}) {
  return z.union([z.string(), z.number()], { error: empty }).transform((v, ctx) => {
    const text = String(v).trim();
    if (text === '') {
      ctx.addIssue({ code: 'custom', message: empty });
      return z.NEVER;
    }
    const r = parseMoney(text);
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    if (options.positive && r.pence === 0) {
      ctx.addIssue({ code: 'custom', message: fundingMessages.amountZero });
      return z.NEVER;
    }
    return r.pence;
  });
}

/** Checkboxes send nothing, one value or several: always a list of ids. */
export function idList(message: string) {
  return z
    .union([z.array(z.union([z.string(), z.number()])), z.string(), z.number()])
    .optional()
    .transform((v, ctx) => {
      const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
      const ids = list.map((x) => String(x).trim()).filter((x) => x !== '');
      const out: number[] = [];
      for (const id of ids) {
        if (!/^\d+$/.test(id)) {
          ctx.addIssue({ code: 'custom', message });
          return z.NEVER;
        }
        out.push(Number(id));
      }
      return [...new Set(out)];
    });
}

/** Lines of a textarea (or a JSON list), trimmed, empty lines dropped. */
export function lineList(max: number, tooLong: string, maxLines: number, tooMany: string) {
  return z
    .union([z.array(z.string()), z.string()])
    .optional()
    .transform((v, ctx) => {
      const lines = (Array.isArray(v) ? v : (v ?? '').split(/\r?\n/))
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (lines.some((l) => l.length > max)) ctx.addIssue({ code: 'custom', message: tooLong });
      if (lines.length > maxLines) ctx.addIssue({ code: 'custom', message: tooMany });
      return lines;
    });
}

const dateField = (empty: string) => periodText(parseDateAsWritten, empty);

const yearField = z
  .string({ error: fundingMessages.yearEmpty })
  .trim()
  .min(1, fundingMessages.yearEmpty)
  .transform((text, ctx) => {
    try {
      return parseFinancialYear(text).start;
    } catch (err) {
      if (!(err instanceof PeriodError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  });

export const fundSchema = z
  .object({
    source: requiredText(fundingMessages.sourceEmpty, 200, fundingMessages.sourceTooLong),
    name: requiredText(fundingMessages.nameEmpty, 200, fundingMessages.nameTooLong),
    year: yearField,
    amount: moneyText(fundingMessages.amountEmpty),
    status: z.enum(FUND_STATUSES, { error: fundingMessages.statusMissing }),
    confirmedOn: optional(dateField(fundingMessages.confirmedOnMissing)),
    conditions: optionalText(5000, fundingMessages.conditionsTooLong),
    priorities: lineList(
      200,
      fundingMessages.priorityTooLong,
      20,
      fundingMessages.tooManyPriorities,
    ),
    workingGroupId: optional(idField(fundingMessages.groupUnknown)),
    voteThreshold: z.enum(THRESHOLDS, { error: fundingMessages.thresholdMissing }),
    acceptingProposals: z
      .union([z.literal('yes'), z.literal('no'), z.boolean()])
      .optional()
      .transform((v) => v === undefined || v === true || v === 'yes'),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'confirmed' && v.confirmedOn === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirmedOn'],
        message: fundingMessages.confirmedOnMissing,
      });
    }
    if (v.status === 'indicative' && v.confirmedOn !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirmedOn'],
        message: fundingMessages.confirmedOnIndicative,
      });
    }
  });
export type FundValues = z.output<typeof fundSchema>;

/** A split of the fund into pots: by whole-number shares, or by amounts that add up. */
export const potSplitSchema = z.object({
  mode: z.enum(['shares', 'amounts'], { error: fundingMessages.splitModeMissing }),
  unit: z
    .enum(['pounds', 'pence'])
    .optional()
    .transform((v): 1 | 100 => (v === 'pence' ? 1 : 100)),
  fundAmount: optional(moneyText(fundingMessages.amountEmpty)),
  remainderTo: z.coerce
    .number({ error: fundingMessages.remainderMissing })
    .int(fundingMessages.remainderMissing)
    .min(0, fundingMessages.remainderMissing)
    .optional(),
  pots: z
    .array(
      z.object({
        name: z.string().trim().max(100, fundingMessages.potNameTooLong).optional().default(''),
        share: z.string().trim().optional().default(''),
        amount: z.string().trim().optional().default(''),
      }),
      { error: fundingMessages.potsMissing },
    )
    .max(MAX_POTS),
});
export type PotSplitInput = z.input<typeof potSplitSchema>;

export const virementSchema = z.object({
  fromPotId: idField(fundingMessages.fromPotMissing),
  toPotId: idField(fundingMessages.toPotMissing),
  amount: moneyText(fundingMessages.amountEmpty, { positive: true }),
  reason: requiredText(fundingMessages.virementReasonEmpty, 2000, fundingMessages.reasonTooLong),
});

const longText = optionalText(10000, fundingMessages.textTooLong);

export const proposalSchema = z
  .object({
    title: requiredText(fundingMessages.titleEmpty, 200, fundingMessages.titleTooLong),
    leadAgencyId: idField(fundingMessages.agencyUnknown),
    potId: idField(fundingMessages.potUnknown),
    requested: moneyText(fundingMessages.requestedEmpty, { positive: true }),
    summary: longText,
    expectedOutcomes: longText,
    audience: optionalText(500, fundingMessages.audienceTooLong),
    reach: optionalText(500, fundingMessages.reachTooLong),
    deliveryStart: optional(dateField('Enter the delivery start, like 01/09/2023')),
    deliveryEnd: optional(dateField('Enter the delivery end, like 31/03/2024')),
    priorityIds: idList(fundingMessages.priorityUnknown),
    themeIds: idList(fundingMessages.themeUnknown),
  })
  .superRefine((v, ctx) => {
    if (v.deliveryStart && v.deliveryEnd && v.deliveryEnd < v.deliveryStart) {
      ctx.addIssue({
        code: 'custom',
        path: ['deliveryEnd'],
        message: fundingMessages.deliveryOrder,
      });
    }
  });
export type ProposalValues = z.output<typeof proposalSchema>;

export const stageMoveSchema = z.object({
  to: z.enum(STAGES, { error: fundingMessages.stageMissing }),
  reason: requiredText(fundingMessages.reasonEmpty, 2000, fundingMessages.reasonTooLong),
});

export const openVotingSchema = z.object({
  closesOn: dateField(fundingMessages.closesEmpty),
});

export const voteSchema = z.object({
  choice: z.enum(VOTE_CHOICES, { error: fundingMessages.choiceMissing }),
});

const overrideReason = optionalText(2000, fundingMessages.overrideTooLong);

export const decisionSchema = z
  .object({
    decider: z.enum(DECIDERS, { error: fundingMessages.deciderMissing }),
    decision: z.enum(DECISIONS, { error: fundingMessages.decisionMissing }),
    amount: optional(moneyText(fundingMessages.decisionAmountEmpty, { positive: true })),
    decidedOn: dateField(fundingMessages.decidedOnEmpty),
    note: optionalText(2000, fundingMessages.noteTooLong),
    overrideReason,
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'approve' && v.amount === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: fundingMessages.decisionAmountEmpty,
      });
    }
    if (v.decision !== 'approve' && v.amount !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: fundingMessages.decisionAmountNotApproved,
      });
    }
  });

export const spendSchema = z.object({
  paidOn: dateField(fundingMessages.paidOnEmpty),
  amount: moneyText(fundingMessages.amountEmpty, { positive: true }),
  note: optionalText(2000, fundingMessages.noteTooLong),
  overrideReason,
});

/** "Pupils: 900" lines: people reached by audience. */
const reachLines = z
  .union([z.array(z.object({ audience: z.string(), people: z.number() })), z.string()])
  .optional()
  .transform((v, ctx) => {
    if (Array.isArray(v)) {
      if (
        v.some((r) => !Number.isSafeInteger(r.people) || r.people < 0 || r.audience.trim() === '')
      ) {
        ctx.addIssue({ code: 'custom', message: fundingMessages.reachLineBad });
        return z.NEVER;
      }
      return v.map((r) => ({ audience: r.audience.trim(), people: r.people }));
    }
    const out: { audience: string; people: number }[] = [];
    for (const line of (v ?? '').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const m = /^(.{1,200}):\s*([\d,]+)$/.exec(line.trim());
      if (!m?.[1]?.trim() || !/^\d{1,3}(,\d{3})*$|^\d+$/.test(m[2] ?? '')) {
        ctx.addIssue({ code: 'custom', message: fundingMessages.reachLineBad });
        return z.NEVER;
      }
      out.push({ audience: m[1].trim(), people: Number((m[2] ?? '').replace(/,/g, '')) });
    }
    return out;
  });

export const outcomeSchema = z
  .object({
    sessionsDelivered: optional(
      z.coerce
        .number({ error: fundingMessages.sessionsBad })
        .int(fundingMessages.sessionsBad)
        .min(0, fundingMessages.sessionsBad),
    ),
    reach: reachLines,
    feedback: optionalText(2000, fundingMessages.noteTooLong),
    narrative: longText,
    evidenceLinks: lineList(500, fundingMessages.linkBad, 20, fundingMessages.linkBad),
  })
  .superRefine((v, ctx) => {
    if (v.evidenceLinks.some((l) => !/^https?:\/\/\S+$/.test(l))) {
      ctx.addIssue({ code: 'custom', path: ['evidenceLinks'], message: fundingMessages.linkBad });
    }
    if (
      v.sessionsDelivered === undefined &&
      v.reach.length === 0 &&
      v.feedback === '' &&
      v.narrative === ''
    ) {
      ctx.addIssue({ code: 'custom', path: ['narrative'], message: fundingMessages.outcomeEmpty });
    }
  });

export const closeYearSchema = z.object({
  closedOn: dateField(fundingMessages.closedOnEmpty),
});
