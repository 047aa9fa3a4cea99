import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt } from '../../core/form-errors.js';
import { ukDate } from '../../domain/dates.js';
import { STAGE_TAGS, THRESHOLDS, THRESHOLD_LABELS } from '../../domain/funding-stages.js';
import { formatMoney, penceToInput } from '../../domain/money.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { FUND_STATUSES, FUND_STATUS_LABELS, MAX_POTS } from './funding.schemas.js';
import type { FundDetail } from './funding.service.js';
import { NotFoundError } from '../../core/errors.js';
import { isReportFormat, REPORT_FORMATS } from '../reports/report-outputs.js';
import { fundingReportFilename, renderFundingReport } from './funding-outputs.js';

type Form = Record<string, string | string[] | undefined>;
type SlugParams = { slug: string };
type FundParams = SlugParams & { fundId: string };

const NOTICES: Record<string, string> = {
  created: 'Fund added. Split it into pots next.',
  saved: 'Fund saved.',
  split: 'Pots saved.',
  moved: 'Money moved between the pots.',
  closed: 'Year ended: the underspend is recorded as returned.',
};

/** Rows offered on the pots form. */
const POT_ROWS = 4;

const text = (v: string | string[] | undefined): string =>
  Array.isArray(v) ? (v[0] ?? '') : (v ?? '');

export const fundBase = (slug: string, fundId: number) => `/partnerships/${slug}/funding/${fundId}`;

export const stageTag = (stage: string, label: string) => ({
  text: label,
  classes: STAGE_TAGS[stage as keyof typeof STAGE_TAGS],
});

function fundValues(f: FundDetail): Form {
  return {
    source: f.source,
    name: f.name,
    year: f.year,
    amount: penceToInput(f.amount),
    status: f.status,
    confirmedOn: ukDate(f.confirmedOn),
    conditions: f.conditions,
    priorities: f.priorities.map((x) => x.title).join('\n'),
    workingGroupId: f.workingGroup ? String(f.workingGroup.id) : '',
    voteThreshold: f.voteThreshold,
    acceptingProposals: f.acceptingProposals ? 'yes' : 'no',
  };
}

/** The pots form's numbered rows as the service reads them. */
function potInput(body: Form) {
  const pots = [];
  for (let i = 1; i <= MAX_POTS; i++) {
    if (body[`pot${i}Name`] === undefined) break;
    pots.push({
      name: text(body[`pot${i}Name`]),
      share: text(body[`pot${i}Share`]),
      amount: text(body[`pot${i}Amount`]),
    });
  }
  return {
    mode: text(body.mode),
    unit: text(body.unit) || undefined,
    remainderTo: text(body.remainderTo) || undefined,
    fundAmount: text(body.fundAmount),
    pots,
  };
}

/** Funds of a partnership: the list, a fund's page and the forms that run it. */
export async function fundingRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, funding } = app.services;
  const base = (slug: string) => `/partnerships/${slug}/funding`;
  const crumbs = (p: { slug: string; name: string }) => [
    { text: p.name, href: `/partnerships/${p.slug}` },
    { text: 'Funding', href: base(p.slug) },
  ];
  const fundCrumbs = (
    p: { slug: string; name: string },
    f: { id: number; name: string; year: string },
  ) => [...crumbs(p), { text: `${f.name} ${f.year}`, href: fundBase(p.slug, f.id) }];

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/funding',
    async (request, reply) => {
      const actor = actorOf(request);
      const p = await partnerships.get(actor, request.params.slug);
      return reply.page('funding/views/list.njk', {
        title: `Funding – ${p.name}`,
        p,
        funds: await funding.listFunds(actor, p.slug),
        statusLabels: FUND_STATUS_LABELS,
        notice: NOTICES[text(request.query.notice)],
      });
    },
  );

  const fundForm = async (actor: Actor, slug: string, values: Form) => {
    const p = await partnerships.get(actor, slug);
    const groups = await funding.groupChoices(actor, slug);
    return {
      p,
      values,
      breadcrumbs: crumbs(p),
      statusItems: FUND_STATUSES.map((s) => ({ value: s, text: FUND_STATUS_LABELS[s] })),
      thresholdItems: THRESHOLDS.map((s) => ({ value: s, text: THRESHOLD_LABELS[s] })),
      groupItems: [
        { value: '', text: 'No working group yet' },
        ...groups.map((g) => ({
          value: String(g.id),
          text: g.name,
          selected: String(g.id) === values.workingGroupId,
        })),
      ],
    };
  };

  app.get<{ Params: SlugParams }>('/partnerships/:slug/funding/new', async (request, reply) => {
    const actor = actorOf(request);
    await partnerships.manageable(actor, request.params.slug);
    return reply.page('funding/views/fund-form.njk', {
      title: 'Add a fund',
      ...(await fundForm(actor, request.params.slug, {
        source: 'Police and Crime Commissioner',
        voteThreshold: 'consensus',
        acceptingProposals: 'yes',
      })),
    });
  });

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/funding/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const r = await attempt(() => funding.createFund(actor, slug, request.body));
      if (!r.ok) {
        return reply.code(400).page('funding/views/fund-form.njk', {
          title: 'Add a fund',
          ...(await fundForm(actor, slug, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`${fundBase(slug, r.value.id)}/pots?notice=created`, 303);
    },
  );

  app.get<{ Params: FundParams; Querystring: Form }>(
    '/partnerships/:slug/funding/:fundId',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const p = await partnerships.get(actor, slug);
      const fund = await funding.fund(actor, slug, idParam(request.params.fundId));
      return reply.page('funding/views/fund.njk', {
        title: `${fund.name} ${fund.year} – ${p.name}`,
        p,
        fund,
        statusLabels: FUND_STATUS_LABELS,
        thresholdLabels: THRESHOLD_LABELS,
        tags: Object.fromEntries(
          fund.proposals.map((x) => [x.id, stageTag(x.stage, x.stageLabel)]),
        ),
        breadcrumbs: crumbs(p),
        notice: NOTICES[text(request.query.notice)],
        downloads: Object.entries(REPORT_FORMATS).map(([format, f]) => ({
          href: `${fundBase(slug, fund.id)}/report/${format}`,
          text: f.text,
        })),
      });
    },
  );

  app.get<{ Params: FundParams & { format: string } }>(
    '/partnerships/:slug/funding/:fundId/report/:format',
    async (request, reply) => {
      const { format, slug } = request.params;
      if (!isReportFormat(format)) throw new NotFoundError('File');
      const report = await funding.report(actorOf(request), slug, idParam(request.params.fundId));
      return reply
        .type(REPORT_FORMATS[format].type)
        .header(
          'content-disposition',
          `attachment; filename="${fundingReportFilename(report, format)}"`,
        )
        .send(await renderFundingReport(report, format));
    },
  );

  app.get<{ Params: FundParams }>(
    '/partnerships/:slug/funding/:fundId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      await partnerships.manageable(actor, slug);
      const fund = await funding.fund(actor, slug, idParam(request.params.fundId));
      const form = await fundForm(actor, slug, fundValues(fund));
      return reply.page('funding/views/fund-form.njk', {
        title: `Change ${fund.name} ${fund.year}`,
        ...form,
        fundId: fund.id,
        breadcrumbs: fundCrumbs(form.p, fund),
      });
    },
  );

  app.post<{ Params: FundParams; Body: Form }>(
    '/partnerships/:slug/funding/:fundId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const fundId = idParam(request.params.fundId);
      const r = await attempt(() => funding.updateFund(actor, slug, fundId, request.body));
      if (!r.ok) {
        const fund = await funding.fund(actor, slug, fundId);
        const form = await fundForm(actor, slug, request.body);
        return reply.code(400).page('funding/views/fund-form.njk', {
          title: `Change ${fund.name} ${fund.year}`,
          ...form,
          fundId,
          breadcrumbs: fundCrumbs(form.p, fund),
          errors: r.errors,
        });
      }
      return reply.redirect(`${fundBase(slug, fundId)}?notice=saved`, 303);
    },
  );

  // Pots

  const potsPage = async (actor: Actor, slug: string, fundId: number, body?: Form) => {
    const p = await partnerships.get(actor, slug);
    const fund = await funding.fund(actor, slug, fundId);
    let values: Form = body ?? {};
    if (!body) {
      const remainderIndex = fund.pots.findIndex((x) => x.remainder > 0);
      values = {
        mode:
          fund.pots.length === 0 || fund.pots.every((x) => x.share !== null) ? 'shares' : 'amounts',
        unit: 'pounds',
        fundAmount: penceToInput(fund.amount),
        remainderTo: String(
          remainderIndex >= 0 ? remainderIndex : Math.max(0, fund.pots.length - 1),
        ),
      };
      if (fund.pots.length === 0) {
        Object.assign(values, {
          pot1Name: 'Upfront projects',
          pot1Share: '2',
          pot2Name: 'Tactical pot',
          pot2Share: '1',
          remainderTo: '1',
        });
      }
      fund.pots.forEach((pot, i) => {
        values[`pot${i + 1}Name`] = pot.name;
        values[`pot${i + 1}Share`] = pot.share === null ? '' : String(pot.share);
        values[`pot${i + 1}Amount`] = penceToInput(pot.allocated);
      });
    }
    const rows = Array.from({ length: Math.max(POT_ROWS, fund.pots.length + 1) }, (_, i) => ({
      n: i + 1,
      index: i,
      name: text(values[`pot${i + 1}Name`]),
      share: text(values[`pot${i + 1}Share`]),
      amount: text(values[`pot${i + 1}Amount`]),
    }));
    return {
      title: `Pots of ${fund.name} ${fund.year}`,
      p,
      fund,
      values,
      rows,
      breadcrumbs: fundCrumbs(p, fund),
    };
  };

  app.get<{ Params: FundParams; Querystring: Form }>(
    '/partnerships/:slug/funding/:fundId/pots',
    async (request, reply) => {
      const actor = actorOf(request);
      await partnerships.manageable(actor, request.params.slug);
      return reply.page('funding/views/pots.njk', {
        ...(await potsPage(actor, request.params.slug, idParam(request.params.fundId))),
        notice: NOTICES[text(request.query.notice)],
      });
    },
  );

  app.post<{ Params: FundParams; Body: Form }>(
    '/partnerships/:slug/funding/:fundId/pots',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const fundId = idParam(request.params.fundId);
      const r = await attempt(() => funding.splitPots(actor, slug, fundId, potInput(request.body)));
      if (!r.ok) {
        return reply.code(400).page('funding/views/pots.njk', {
          ...(await potsPage(actor, slug, fundId, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`${fundBase(slug, fundId)}?notice=split`, 303);
    },
  );

  // Virement

  const movePage = async (actor: Actor, slug: string, fundId: number, values: Form) => {
    const p = await partnerships.get(actor, slug);
    const fund = await funding.fund(actor, slug, fundId);
    const potItems = (selected: unknown) => [
      { value: '', text: 'Choose a pot' },
      ...fund.pots.map((x) => ({
        value: String(x.id),
        text: `${x.name} (${formatMoney(Math.max(0, x.remaining))} not committed)`,
        selected: String(x.id) === selected,
      })),
    ];
    return {
      title: `Move money between pots of ${fund.name} ${fund.year}`,
      p,
      fund,
      values,
      fromItems: potItems(values.fromPotId),
      toItems: potItems(values.toPotId),
      breadcrumbs: fundCrumbs(p, fund),
    };
  };

  app.get<{ Params: FundParams }>(
    '/partnerships/:slug/funding/:fundId/virement',
    async (request, reply) => {
      const actor = actorOf(request);
      await partnerships.manageable(actor, request.params.slug);
      return reply.page(
        'funding/views/virement.njk',
        await movePage(actor, request.params.slug, idParam(request.params.fundId), {}),
      );
    },
  );

  app.post<{ Params: FundParams; Body: Form }>(
    '/partnerships/:slug/funding/:fundId/virement',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const fundId = idParam(request.params.fundId);
      const r = await attempt(() => funding.vire(actor, slug, fundId, request.body));
      if (!r.ok) {
        return reply.code(400).page('funding/views/virement.njk', {
          ...(await movePage(actor, slug, fundId, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`${fundBase(slug, fundId)}?notice=moved`, 303);
    },
  );

  // Year end

  const closePage = async (actor: Actor, slug: string, fundId: number, values: Form) => {
    const p = await partnerships.get(actor, slug);
    const fund = await funding.fund(actor, slug, fundId);
    return {
      title: `End the year of ${fund.name} ${fund.year}`,
      p,
      fund,
      values: { closedOn: ukDate(`${fund.yearStart + 1}-03-31`), ...values },
      breadcrumbs: fundCrumbs(p, fund),
    };
  };

  app.get<{ Params: FundParams }>(
    '/partnerships/:slug/funding/:fundId/close',
    async (request, reply) => {
      const actor = actorOf(request);
      await partnerships.manageable(actor, request.params.slug);
      return reply.page(
        'funding/views/close.njk',
        await closePage(actor, request.params.slug, idParam(request.params.fundId), {}),
      );
    },
  );

  app.post<{ Params: FundParams; Body: Form }>(
    '/partnerships/:slug/funding/:fundId/close',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const fundId = idParam(request.params.fundId);
      const r = await attempt(() => funding.closeYear(actor, slug, fundId, request.body));
      if (!r.ok) {
        return reply.code(400).page('funding/views/close.njk', {
          ...(await closePage(actor, slug, fundId, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`${fundBase(slug, fundId)}?notice=closed`, 303);
    },
  );
}
