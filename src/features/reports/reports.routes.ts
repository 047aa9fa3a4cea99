import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { attempt, type FormErrors } from '../../core/form-errors.js';
import { ukDate } from '../../domain/dates.js';
import { longWindowLabel, monthLabel, previousWindow, rollingYear } from '../../domain/periods.js';
import { REPORT_GROUP_LABELS } from '../../domain/statuses.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { THEME_TYPE_LABELS } from '../plans/plans.schemas.js';
import { flaggedText, FULL_UPDATE_COLUMNS } from './exception-report.js';
import { isReportFormat, renderReport, REPORT_FORMATS, reportFilename } from './report-outputs.js';
import type { SavedReport } from './reports.service.js';

type Form = Record<string, string | undefined>;
type SlugParams = { slug: string };
type ReportParams = SlugParams & { reportId: string };

const NOTICES: Record<string, string> = {
  saved: 'Header and introduction saved.',
  commentary: 'Commentary saved.',
  issued: 'Report issued. Its figures will not change; start a new version to correct it.',
  version: 'New version started from the issued report’s words, with today’s figures.',
  deleted: 'Draft report deleted.',
};

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, plans, reports } = app.services;
  const baseOf = (slug: string, id: number) => `/partnerships/${slug}/reports/${id}`;

  const listPage = async (actor: Actor, slug: string, values: Form, errors?: FormErrors) => {
    const p = await partnerships.get(actor, slug);
    const [list, planList] = await Promise.all([
      reports.list(actor, slug),
      plans.list(actor, slug),
    ]);
    const chosen = values.planId ?? String(planList.find((x) => x.status === 'adopted')?.id ?? '');
    return {
      title: 'Exception reports',
      p,
      reports: list.map((r) => ({ ...r, windowText: longWindowLabel(rollingYear(r.periodEnd)) })),
      planItems: planList.map((x) => ({
        value: String(x.id),
        text: `${x.title} ${x.periodLabel}`,
        selected: String(x.id) === chosen,
      })),
      values: { periodEnd: reports.suggestedPeriodEnd(), ...values },
      errors,
      breadcrumbs: [{ text: p.name, href: `/partnerships/${p.slug}` }],
    };
  };

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/reports',
    async (request, reply) => {
      const page = await listPage(actorOf(request), request.params.slug, {});
      return reply.page('reports/views/list.njk', {
        ...page,
        notice: NOTICES[request.query.notice ?? ''],
      });
    },
  );

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/reports',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const r = await attempt(() => reports.create(actor, slug, request.body));
      if (!r.ok) {
        const page = await listPage(actor, slug, request.body, r.errors);
        if (!page.p.canManage) throw new ForbiddenError();
        return reply.code(400).page('reports/views/list.njk', page);
      }
      return reply.redirect(baseOf(slug, r.value.id), 303);
    },
  );

  /** What every page of one report shows around its own content. */
  const reportContext = async (actor: Actor, slug: string, saved: SavedReport) => {
    const p = await partnerships.get(actor, slug);
    const base = baseOf(slug, saved.id);
    return {
      p,
      saved,
      report: saved.report,
      base,
      periodEndLabel: monthLabel(saved.periodEnd),
      groupLabels: REPORT_GROUP_LABELS,
      typeLabels: THEME_TYPE_LABELS,
      fullUpdateColumns: FULL_UPDATE_COLUMNS,
      flaggedText,
      monthLabel,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Exception reports', href: `/partnerships/${p.slug}/reports` },
      ],
    };
  };

  const load = (request: { params: ReportParams }, actor: Actor) =>
    reports.get(actor, request.params.slug, idParam(request.params.reportId));

  const reportPage = async (actor: Actor, slug: string, saved: SavedReport) => {
    const context = await reportContext(actor, slug, saved);
    const title = `Exception report: rolling year to ${context.periodEndLabel}`;
    if (saved.noData) {
      const window = rollingYear(saved.periodEnd);
      return {
        template: 'reports/views/missing.njk',
        context: {
          ...context,
          title: `No figures – ${title}`,
          noData: saved.noData,
          currentText: longWindowLabel(window),
          previousText: longWindowLabel(previousWindow(window)),
          latestLabel: saved.noData.latestMonth ? monthLabel(saved.noData.latestMonth) : '',
        },
      };
    }
    const editable = saved.canManage && saved.status === 'draft';
    return {
      template: 'reports/views/report.njk',
      context: {
        ...context,
        title,
        draftExists: saved.draftId !== null,
        commentaryHref: editable ? (themeId: number) => `${context.base}/themes/${themeId}` : null,
        downloads: Object.entries(REPORT_FORMATS).map(([format, f]) => ({
          href: `${context.base}/download/${format}`,
          text: f.text,
        })),
      },
    };
  };

  app.get<{ Params: ReportParams; Querystring: Form }>(
    '/partnerships/:slug/reports/:reportId',
    async (request, reply) => {
      const actor = actorOf(request);
      const { template, context } = await reportPage(
        actor,
        request.params.slug,
        await load(request, actor),
      );
      return reply.page(template, { ...context, notice: NOTICES[request.query.notice ?? ''] });
    },
  );

  app.get<{ Params: ReportParams & { format: string } }>(
    '/partnerships/:slug/reports/:reportId/download/:format',
    async (request, reply) => {
      const { format } = request.params;
      if (!isReportFormat(format)) throw new NotFoundError('File');
      const saved = await load(request, actorOf(request));
      const content = await renderReport(saved.report, format);
      return reply
        .type(REPORT_FORMATS[format].type)
        .header(
          'content-disposition',
          `attachment; filename="${reportFilename(saved.report, format)}"`,
        )
        .send(content);
    },
  );

  // Header and introduction

  const editable = async (actor: Actor, request: { params: ReportParams }) => {
    const saved = await load(request, actor);
    if (!saved.canManage)
      throw new ForbiddenError('Only the partnership’s coordinators can do that');
    return saved;
  };

  const headerValues = (saved: SavedReport): Form => ({
    ...saved.report.header,
    date: ukDate(saved.report.header.date),
    introduction: saved.report.introduction,
  });

  app.get<{ Params: ReportParams }>(
    '/partnerships/:slug/reports/:reportId/header',
    async (request, reply) => {
      const actor = actorOf(request);
      const saved = await editable(actor, request);
      const context = await reportContext(actor, request.params.slug, saved);
      if (saved.status !== 'draft') return reply.redirect(context.base, 303);
      return reply.page('reports/views/header.njk', {
        ...context,
        title: 'Header and introduction',
        version: saved.version,
        values: headerValues(saved),
      });
    },
  );

  app.post<{ Params: ReportParams; Body: Form }>(
    '/partnerships/:slug/reports/:reportId/header',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const id = idParam(request.params.reportId);
      const r = await attempt(() => reports.updateHeader(actor, slug, id, request.body));
      if (r.ok) return reply.redirect(`${baseOf(slug, id)}?notice=saved`, 303);
      const saved = await editable(actor, request);
      return reply.code(r.conflict ? 409 : 400).page('reports/views/header.njk', {
        ...(await reportContext(actor, slug, saved)),
        title: 'Header and introduction',
        version: saved.version,
        values: request.body,
        errors: r.errors,
      });
    },
  );

  // Commentary, with the theme's figures and latest updates beside it

  const themeOf = (saved: SavedReport, themeId: string) => {
    const theme = saved.report.themes.find((t) => t.id === idParam(themeId));
    if (!theme) throw new NotFoundError('Theme');
    return theme;
  };

  app.get<{ Params: ReportParams & { themeId: string } }>(
    '/partnerships/:slug/reports/:reportId/themes/:themeId',
    async (request, reply) => {
      const actor = actorOf(request);
      const saved = await editable(actor, request);
      const context = await reportContext(actor, request.params.slug, saved);
      if (saved.status !== 'draft') return reply.redirect(context.base, 303);
      const theme = themeOf(saved, request.params.themeId);
      return reply.page('reports/views/commentary.njk', {
        ...context,
        title: `Commentary on ${theme.title}`,
        theme,
        version: saved.version,
        values: { commentary: theme.commentary },
      });
    },
  );

  app.post<{ Params: ReportParams & { themeId: string }; Body: Form }>(
    '/partnerships/:slug/reports/:reportId/themes/:themeId',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, themeId } = request.params;
      const id = idParam(request.params.reportId);
      const r = await attempt(() =>
        reports.saveCommentary(actor, slug, id, idParam(themeId), request.body),
      );
      if (r.ok)
        return reply.redirect(`${baseOf(slug, id)}?notice=commentary#theme-${themeId}`, 303);
      const saved = await editable(actor, request);
      const theme = themeOf(saved, themeId);
      return reply.code(r.conflict ? 409 : 400).page('reports/views/commentary.njk', {
        ...(await reportContext(actor, slug, saved)),
        title: `Commentary on ${theme.title}`,
        theme,
        version: saved.version,
        theirs: r.conflict ? theme.commentary : undefined,
        values: request.body,
        errors: r.errors,
      });
    },
  );

  // Issue, new version, delete

  const confirmPage = (
    context: Awaited<ReturnType<typeof reportContext>>,
    page: { heading: string; explanation: string[]; action: string; button: string },
  ) => ({ ...context, title: page.heading, ...page });

  app.get<{ Params: ReportParams }>(
    '/partnerships/:slug/reports/:reportId/issue',
    async (request, reply) => {
      const actor = actorOf(request);
      const saved = await editable(actor, request);
      const context = await reportContext(actor, request.params.slug, saved);
      if (saved.status !== 'draft') return reply.redirect(context.base, 303);
      const missingCommentary = saved.report.themes
        .filter((t) => !t.commentary)
        .map((t) => t.title);
      return reply.page('reports/views/confirm.njk', {
        ...confirmPage(context, {
          heading: `Issue version ${saved.issueNumber} of the report`,
          explanation: [
            'Once issued, the report is frozen: its figures, updates and words stay as they are now, even when figures are corrected later.',
            'To change it after that, start a new version.',
            ...(missingCommentary.length
              ? [`These themes have no commentary: ${missingCommentary.join(', ')}.`]
              : []),
            ...(saved.report.gaps.length
              ? [
                  `${saved.report.gaps.length} figures are incomplete and will say so in the report.`,
                ]
              : []),
          ],
          action: `${context.base}/issue`,
          button: 'Issue report',
        }),
        version: saved.version,
      });
    },
  );

  app.post<{ Params: ReportParams; Body: Form }>(
    '/partnerships/:slug/reports/:reportId/issue',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const id = idParam(request.params.reportId);
      const r = await attempt(() => reports.issue(actor, slug, id, request.body));
      if (r.ok) return reply.redirect(`${baseOf(slug, id)}?notice=issued`, 303);
      const saved = await load(request, actor);
      const { template, context } = await reportPage(actor, slug, saved);
      return reply.code(400).page(template, { ...context, errors: r.errors });
    },
  );

  app.post<{ Params: ReportParams }>(
    '/partnerships/:slug/reports/:reportId/new-version',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const id = idParam(request.params.reportId);
      const r = await attempt(() => reports.newVersion(actor, slug, id));
      if (r.ok) return reply.redirect(`${baseOf(slug, r.value.id)}?notice=version`, 303);
      const { template, context } = await reportPage(actor, slug, await load(request, actor));
      return reply.code(400).page(template, { ...context, errors: r.errors });
    },
  );

  app.get<{ Params: ReportParams }>(
    '/partnerships/:slug/reports/:reportId/delete',
    async (request, reply) => {
      const actor = actorOf(request);
      const saved = await editable(actor, request);
      const context = await reportContext(actor, request.params.slug, saved);
      if (saved.status !== 'draft') return reply.redirect(context.base, 303);
      return reply.page('reports/views/confirm.njk', {
        ...confirmPage(context, {
          heading: 'Delete this draft report',
          explanation: [
            'The draft’s header, introduction and commentary are deleted. The plan, its updates and the indicators’ figures are not changed. Issued versions are kept.',
          ],
          action: `${context.base}/delete`,
          button: 'Delete draft',
        }),
        buttonClasses: 'govuk-button--warning',
      });
    },
  );

  app.post<{ Params: ReportParams }>(
    '/partnerships/:slug/reports/:reportId/delete',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      await reports.deleteDraft(actor, slug, idParam(request.params.reportId));
      return reply.redirect(`/partnerships/${slug}/reports?notice=deleted`, 303);
    },
  );
}
