import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { attempt, type FormErrors } from '../../core/form-errors.js';
import {
  DECIDERS,
  DECIDER_LABELS,
  DECISIONS,
  DECISION_LABELS,
  STAGE_LABELS,
  THRESHOLD_LABELS,
  VOTE_CHOICES,
  VOTE_LABELS,
} from '../../domain/funding-stages.js';
import { ukDate } from '../../domain/dates.js';
import { penceToInput } from '../../domain/money.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { fundBase, stageTag } from './funding.routes.js';
import type { ProposalDetail } from './funding.service.js';

type Form = Record<string, string | string[] | undefined>;
type FundParams = { slug: string; fundId: string };
type ProposalParams = FundParams & { proposalId: string };

const NOTICES: Record<string, string> = {
  submitted: 'Proposal submitted. The working group will consider it.',
  saved: 'Proposal saved.',
  voted: 'Vote recorded.',
  voting: 'Voting dates saved.',
  votingClosed: 'Voting closed.',
  moved: 'Stage changed.',
  decided: 'Decision recorded.',
  spend: 'Spend recorded.',
  outcome: 'Outcomes recorded.',
};

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

function proposalValues(x: ProposalDetail): Form {
  return {
    title: x.title,
    leadAgencyId: String(x.leadAgency.id),
    potId: String(x.pot.id),
    requested: penceToInput(x.requested),
    summary: x.summary,
    expectedOutcomes: x.expectedOutcomes,
    audience: x.audience,
    reach: x.reach,
    deliveryStart: ukDate(x.deliveryStart),
    deliveryEnd: ukDate(x.deliveryEnd),
    priorityIds: x.priorities.map((p) => String(p.id)),
    themeIds: x.themes.map((t) => String(t.id)),
  };
}

/** A proposal's pages: the form, the page with its history, votes, decisions, spend, outcomes. */
export async function proposalRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, funding } = app.services;
  const proposalUrl = (slug: string, fundId: number, id: number) =>
    `${fundBase(slug, fundId)}/proposals/${id}`;

  /** The proposal, answered 404 unless it belongs to the fund in the address. */
  const load = async (actor: Actor, params: ProposalParams) => {
    const x = await funding.proposals.proposal(actor, params.slug, idParam(params.proposalId));
    if (x.fund.id !== idParam(params.fundId)) throw new NotFoundError('Proposal');
    return x;
  };

  const crumbs = (
    p: { slug: string; name: string },
    fund: { id: number; name: string; year: string },
  ) => [
    { text: p.name, href: `/partnerships/${p.slug}` },
    { text: 'Funding', href: `/partnerships/${p.slug}/funding` },
    { text: `${fund.name} ${fund.year}`, href: fundBase(p.slug, fund.id) },
  ];

  const formPage = async (actor: Actor, slug: string, fundId: number, values: Form) => {
    const p = await partnerships.get(actor, slug);
    const choices = await funding.proposals.proposalChoices(actor, slug, fundId);
    const checked = (field: string) => new Set(list(values[field]));
    return {
      p,
      fund: choices.fund,
      values,
      breadcrumbs: crumbs(p, choices.fund),
      agencyItems: [
        { value: '', text: 'Choose an agency' },
        ...choices.agencies.map((a) => ({
          value: String(a.id),
          text: a.name,
          selected: String(a.id) === values.leadAgencyId,
        })),
      ],
      potItems: choices.pots.map((x) => ({ value: String(x.id), text: x.name })),
      priorityItems: choices.priorities.map((x) => ({
        value: String(x.id),
        text: x.title,
        checked: checked('priorityIds').has(String(x.id)),
      })),
      themeItems: choices.themes.map((t) => ({
        value: String(t.id),
        text: `${t.title} (${t.plan})`,
        checked: checked('themeIds').has(String(t.id)),
      })),
    };
  };

  app.get<{ Params: FundParams }>(
    '/partnerships/:slug/funding/:fundId/proposals/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const fundId = idParam(request.params.fundId);
      const page = await formPage(actor, slug, fundId, {
        leadAgencyId: actor.agencyId === null ? '' : String(actor.agencyId),
      });
      return reply.page('funding/views/proposal-form.njk', {
        title: `Submit a proposal to ${page.fund.name} ${page.fund.year}`,
        action: `${fundBase(slug, fundId)}/proposals/new`,
        ...page,
      });
    },
  );

  app.post<{ Params: FundParams; Body: Form }>(
    '/partnerships/:slug/funding/:fundId/proposals/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const fundId = idParam(request.params.fundId);
      const r = await attempt(() =>
        funding.proposals.submitProposal(actor, slug, fundId, request.body),
      );
      if (!r.ok) {
        const page = await formPage(actor, slug, fundId, request.body);
        return reply.code(400).page('funding/views/proposal-form.njk', {
          title: `Submit a proposal to ${page.fund.name} ${page.fund.year}`,
          action: `${fundBase(slug, fundId)}/proposals/new`,
          ...page,
          errors: r.errors,
        });
      }
      return reply.redirect(`${proposalUrl(slug, fundId, r.value.id)}?notice=submitted`, 303);
    },
  );

  const showPage = async (
    actor: Actor,
    params: ProposalParams,
    extra: { errors?: FormErrors; values?: Form } = {},
  ) => {
    const p = await partnerships.get(actor, params.slug);
    const x = await load(actor, params);
    return {
      title: `${x.title} – ${x.fund.name} ${x.fund.year}`,
      p,
      x,
      url: proposalUrl(params.slug, x.fund.id, x.id),
      tag: stageTag(x.stage, x.stageLabel),
      stageLabels: STAGE_LABELS,
      thresholdLabel: THRESHOLD_LABELS[x.voting.threshold],
      voteLabels: VOTE_LABELS,
      voteItems: VOTE_CHOICES.map((c) => ({ value: c, text: VOTE_LABELS[c] })),
      stageItems: x.nextStages.map((s) => ({ value: s, text: STAGE_LABELS[s] })),
      breadcrumbs: crumbs(p, x.fund),
      values: extra.values ?? {},
      errors: extra.errors,
    };
  };

  app.get<{ Params: ProposalParams; Querystring: Form }>(
    '/partnerships/:slug/funding/:fundId/proposals/:proposalId',
    async (request, reply) => {
      const notice = NOTICES[String(request.query.notice ?? '')];
      return reply.page('funding/views/proposal.njk', {
        ...(await showPage(actorOf(request), request.params)),
        notice,
      });
    },
  );

  /** A form posted from the proposal's page: on success back to it, else the page with errors. */
  const pageForm = (
    path: string,
    notice: string,
    act: (actor: Actor, slug: string, id: number, body: Form) => Promise<unknown>,
  ) => {
    app.post<{ Params: ProposalParams; Body: Form }>(
      `/partnerships/:slug/funding/:fundId/proposals/:proposalId/${path}`,
      async (request, reply) => {
        const actor = actorOf(request);
        const x = await load(actor, request.params);
        const r = await attempt(() => act(actor, request.params.slug, x.id, request.body));
        if (!r.ok) {
          return reply.code(400).page('funding/views/proposal.njk', {
            ...(await showPage(actor, request.params, { errors: r.errors, values: request.body })),
          });
        }
        return reply.redirect(
          `${proposalUrl(request.params.slug, x.fund.id, x.id)}?notice=${notice}`,
          303,
        );
      },
    );
  };

  pageForm('vote', 'voted', (actor, slug, id, body) =>
    funding.proposals.vote(actor, slug, id, body, { change: body.change === 'yes' }),
  );
  pageForm('voting', 'voting', (actor, slug, id, body) =>
    funding.proposals.openVoting(actor, slug, id, body),
  );
  pageForm('close-voting', 'votingClosed', (actor, slug, id) =>
    funding.proposals.closeVoting(actor, slug, id),
  );
  pageForm('stage', 'moved', (actor, slug, id, body) =>
    funding.proposals.moveStage(actor, slug, id, body),
  );

  /** Pages with a form of their own: edit, decision, spend, outcomes. */
  const formRoute = (
    path: string,
    template: string,
    title: (x: ProposalDetail) => string,
    initial: (x: ProposalDetail) => Form,
    act: (actor: Actor, slug: string, id: number, body: Form) => Promise<unknown>,
    notice: string,
    more: (
      actor: Actor,
      slug: string,
      fundId: number,
      values: Form,
    ) => Promise<Record<string, unknown>> = async () => ({}),
  ) => {
    const render = async (
      actor: Actor,
      params: ProposalParams,
      values: Form | null,
      errors?: FormErrors,
    ) => {
      const p = await partnerships.get(actor, params.slug);
      const x = await load(actor, params);
      const v = values ?? initial(x);
      return {
        title: title(x),
        p,
        x,
        values: v,
        url: proposalUrl(params.slug, x.fund.id, x.id),
        action: `${proposalUrl(params.slug, x.fund.id, x.id)}/${path}`,
        breadcrumbs: [
          ...crumbs(p, x.fund),
          { text: x.title, href: proposalUrl(params.slug, x.fund.id, x.id) },
        ],
        ...(await more(actor, params.slug, x.fund.id, v)),
        errors,
      };
    };
    app.get<{ Params: ProposalParams }>(
      `/partnerships/:slug/funding/:fundId/proposals/:proposalId/${path}`,
      async (request, reply) =>
        reply.page(template, await render(actorOf(request), request.params, null)),
    );
    app.post<{ Params: ProposalParams; Body: Form }>(
      `/partnerships/:slug/funding/:fundId/proposals/:proposalId/${path}`,
      async (request, reply) => {
        const actor = actorOf(request);
        const x = await load(actor, request.params);
        const r = await attempt(() => act(actor, request.params.slug, x.id, request.body));
        if (!r.ok) {
          return reply
            .code(400)
            .page(template, await render(actor, request.params, request.body, r.errors));
        }
        return reply.redirect(
          `${proposalUrl(request.params.slug, x.fund.id, x.id)}?notice=${notice}`,
          303,
        );
      },
    );
  };

  formRoute(
    'edit',
    'funding/views/proposal-form.njk',
    (x) => `Change ${x.title}`,
    proposalValues,
    (actor, slug, id, body) => funding.proposals.updateProposal(actor, slug, id, body),
    'saved',
    async (actor, slug, fundId, values) => {
      const page = await formPage(actor, slug, fundId, values);
      return {
        agencyItems: page.agencyItems,
        potItems: page.potItems,
        priorityItems: page.priorityItems,
        themeItems: page.themeItems,
      };
    },
  );

  formRoute(
    'decision',
    'funding/views/decision.njk',
    (x) => `Record a decision on ${x.title}`,
    (x) => ({ amount: penceToInput(x.requested) }),
    (actor, slug, id, body) => funding.proposals.decide(actor, slug, id, body),
    'decided',
    async () => ({
      deciderItems: DECIDERS.map((d) => ({ value: d, text: DECIDER_LABELS[d] })),
      decisionItems: DECISIONS.map((d) => ({ value: d, text: DECISION_LABELS[d] })),
    }),
  );

  formRoute(
    'spend',
    'funding/views/spend.njk',
    (x) => `Record spend on ${x.title}`,
    () => ({}),
    (actor, slug, id, body) => funding.proposals.recordSpend(actor, slug, id, body),
    'spend',
  );

  formRoute(
    'outcomes',
    'funding/views/outcome.njk',
    (x) => `Record outcomes of ${x.title}`,
    () => ({}),
    (actor, slug, id, body) => funding.proposals.recordOutcome(actor, slug, id, body),
    'outcome',
  );
}
