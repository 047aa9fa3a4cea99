import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { attempt, type FormErrors } from '../../core/form-errors.js';
import { longWindowLabel } from '../../domain/periods.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import {
  ASSESSMENT_FORMATS,
  assessmentFilename,
  chartsByMeasure,
  isAssessmentFormat,
  renderAssessment,
  viewHelpers,
} from './assessment-outputs.js';
import { isSectionKey, SECTIONS, type SectionKey } from './assessments.schemas.js';
import type { AssessmentDocument } from './assessments.service.js';

type Form = Record<string, string | string[] | undefined>;
type SlugParams = { slug: string };
type Params = SlugParams & { assessmentId: string };

const NOTICES: Record<string, string> = {
  saved: 'Section saved.',
  peers: 'Peer group saved.',
};

const HINTS: Record<SectionKey, string> = {
  introduction:
    'What the assessment is for and how it was put together. Leave a blank line between paragraphs.',
  progress: 'How the partnership did against this year’s priorities.',
  'plan-review':
    'What the figures and partners’ views suggest for next year, and the priorities proposed.',
  'data-sources': 'Every source the assessment uses. It starts with the sources of the figures.',
  glossary: 'One term a line: the term, a colon, then what it means.',
};

export async function assessmentRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, assessments } = app.services;
  const baseOf = (slug: string, id: number) => `/partnerships/${slug}/assessments/${id}`;

  const listPage = async (actor: Actor, slug: string, values: Form, errors?: FormErrors) => {
    const p = await partnerships.get(actor, slug);
    const list = await assessments.list(actor, slug);
    return {
      title: 'Strategic assessments',
      p,
      assessments: list.map((a) => ({ ...a, windowText: longWindowLabel(a.window) })),
      values: { year: assessments.suggestedYear(), ...values },
      errors,
      breadcrumbs: [{ text: p.name, href: `/partnerships/${p.slug}` }],
    };
  };

  app.get<{ Params: SlugParams }>('/partnerships/:slug/assessments', async (request, reply) => {
    const page = await listPage(actorOf(request), request.params.slug, {});
    return reply.page('assessments/views/list.njk', page);
  });

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/assessments',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const r = await attempt(() => assessments.start(actor, slug, request.body));
      if (!r.ok) {
        const page = await listPage(actor, slug, request.body, r.errors);
        if (!page.p.canManage) throw new ForbiddenError();
        return reply.code(400).page('assessments/views/list.njk', page);
      }
      return reply.redirect(baseOf(slug, r.value.id), 303);
    },
  );

  const load = (request: { params: Params }, actor: Actor) =>
    assessments.get(actor, request.params.slug, idParam(request.params.assessmentId));

  const context = async (actor: Actor, slug: string, doc: AssessmentDocument) => {
    const p = await partnerships.get(actor, slug);
    const base = baseOf(slug, doc.record?.id ?? 0);
    return {
      p,
      doc,
      base,
      ...viewHelpers,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Strategic assessments', href: `/partnerships/${p.slug}/assessments` },
      ],
    };
  };

  app.get<{ Params: Params; Querystring: Form }>(
    '/partnerships/:slug/assessments/:assessmentId',
    async (request, reply) => {
      const actor = actorOf(request);
      const doc = await load(request, actor);
      const c = await context(actor, request.params.slug, doc);
      return reply.page('assessments/views/assessment.njk', {
        ...c,
        title: doc.title,
        previousLabel: longWindowLabel(doc.figures.previousWindow),
        charts: chartsByMeasure(doc),
        sectionHref: doc.canEdit ? (key: string) => `${c.base}/sections/${key}` : null,
        overviewHref: doc.canEdit ? (themeId: number) => `${c.base}/priorities/${themeId}` : null,
        // Proposed priorities are scored in the priority-setting matrix.
        prioritiesHref: `/partnerships/${request.params.slug}/priorities`,
        downloads: Object.entries(ASSESSMENT_FORMATS).map(([format, f]) => ({
          href: `${c.base}/download/${format}`,
          text: f.text,
        })),
        notice: NOTICES[String(request.query.notice ?? '')],
      });
    },
  );

  app.get<{ Params: Params & { format: string } }>(
    '/partnerships/:slug/assessments/:assessmentId/download/:format',
    async (request, reply) => {
      const { format } = request.params;
      if (!isAssessmentFormat(format)) throw new NotFoundError('File');
      const doc = await load(request, actorOf(request));
      return reply
        .type(ASSESSMENT_FORMATS[format].type)
        .header('content-disposition', `attachment; filename="${assessmentFilename(doc, format)}"`)
        .send(await renderAssessment(doc, format));
    },
  );

  const editable = async (actor: Actor, request: { params: Params }) => {
    const doc = await load(request, actor);
    if (!doc.canEdit) throw new ForbiddenError('Only the partnership’s coordinators can do that');
    return doc;
  };

  // Narrative sections

  const sectionOf = (key: string): SectionKey => {
    if (!isSectionKey(key)) throw new NotFoundError('Section');
    return key;
  };

  const sectionPage = async (
    actor: Actor,
    slug: string,
    doc: AssessmentDocument,
    key: SectionKey,
    extra: Record<string, unknown>,
  ) => {
    const c = await context(actor, slug, doc);
    return {
      ...c,
      title: SECTIONS[key].title,
      heading: SECTIONS[key].title,
      hint: HINTS[key],
      action: `${c.base}/sections/${key}`,
      cancel: `${c.base}#section-${key}`,
      version: doc.record?.version,
      values: { text: doc.sections[key] },
      ...extra,
    };
  };

  app.get<{ Params: Params & { section: string } }>(
    '/partnerships/:slug/assessments/:assessmentId/sections/:section',
    async (request, reply) => {
      const actor = actorOf(request);
      const key = sectionOf(request.params.section);
      const doc = await editable(actor, request);
      return reply.page(
        'assessments/views/section.njk',
        await sectionPage(actor, request.params.slug, doc, key, {}),
      );
    },
  );

  app.post<{ Params: Params & { section: string }; Body: Form }>(
    '/partnerships/:slug/assessments/:assessmentId/sections/:section',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const key = sectionOf(request.params.section);
      const id = idParam(request.params.assessmentId);
      const r = await attempt(() => assessments.saveSection(actor, slug, id, key, request.body));
      if (r.ok) return reply.redirect(`${baseOf(slug, id)}?notice=saved#section-${key}`, 303);
      const doc = await editable(actor, request);
      const stale = r.errors.fields.form !== undefined;
      return reply.code(stale ? 409 : 400).page(
        'assessments/views/section.njk',
        await sectionPage(actor, slug, doc, key, {
          values: request.body,
          errors: r.errors,
          theirs: stale ? doc.sections[key] : undefined,
        }),
      );
    },
  );

  // Overview of each priority of the current plan

  const overviewPage = async (
    actor: Actor,
    slug: string,
    doc: AssessmentDocument,
    themeId: string,
    extra: Record<string, unknown>,
  ) => {
    const theme = doc.overviews.find((o) => o.themeId === idParam(themeId));
    if (!theme) throw new NotFoundError('Priority');
    const c = await context(actor, slug, doc);
    const heading = `What partners did: ${theme.title}`;
    return {
      ...c,
      title: heading,
      heading,
      hint: 'What partners did under this priority during the year. Leave a blank line between paragraphs.',
      action: `${c.base}/priorities/${theme.themeId}`,
      cancel: `${c.base}#overview-${theme.themeId}`,
      version: doc.record?.version,
      values: { text: theme.text },
      theme,
      ...extra,
    };
  };

  app.get<{ Params: Params & { themeId: string } }>(
    '/partnerships/:slug/assessments/:assessmentId/priorities/:themeId',
    async (request, reply) => {
      const actor = actorOf(request);
      const doc = await editable(actor, request);
      return reply.page(
        'assessments/views/section.njk',
        await overviewPage(actor, request.params.slug, doc, request.params.themeId, {}),
      );
    },
  );

  app.post<{ Params: Params & { themeId: string }; Body: Form }>(
    '/partnerships/:slug/assessments/:assessmentId/priorities/:themeId',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, themeId } = request.params;
      const id = idParam(request.params.assessmentId);
      const r = await attempt(() =>
        assessments.saveOverview(actor, slug, id, idParam(themeId), request.body),
      );
      if (r.ok) return reply.redirect(`${baseOf(slug, id)}?notice=saved#overview-${themeId}`, 303);
      const doc = await editable(actor, request);
      const stale = r.errors.fields.form !== undefined;
      const page = await overviewPage(actor, slug, doc, themeId, {});
      return reply.code(stale ? 409 : 400).page('assessments/views/section.njk', {
        ...page,
        values: request.body,
        errors: r.errors,
        theirs: stale ? page.theme.text : undefined,
      });
    },
  );

  // Peer group

  const peersPage = async (
    actor: Actor,
    slug: string,
    doc: AssessmentDocument,
    chosen: string[],
    errors?: FormErrors,
  ) => {
    const c = await context(actor, slug, doc);
    const own = new Set(doc.figures.partnership.districts.map((d) => d.code));
    const choices = (await assessments.peerChoices(actor, slug))
      .filter((d) => !own.has(d.code))
      .map((d) => ({
        value: d.code,
        text: `${d.name} (${d.code})`,
        checked: chosen.includes(d.code),
      }));
    return {
      ...c,
      title: 'Peer group',
      version: doc.record?.version,
      choices,
      errors,
    };
  };

  app.get<{ Params: Params }>(
    '/partnerships/:slug/assessments/:assessmentId/peers',
    async (request, reply) => {
      const actor = actorOf(request);
      const doc = await editable(actor, request);
      return reply.page(
        'assessments/views/peers.njk',
        await peersPage(
          actor,
          request.params.slug,
          doc,
          doc.peers.map((p) => p.code),
        ),
      );
    },
  );

  app.post<{ Params: Params; Body: Form }>(
    '/partnerships/:slug/assessments/:assessmentId/peers',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const id = idParam(request.params.assessmentId);
      const r = await attempt(() => assessments.savePeers(actor, slug, id, request.body));
      if (r.ok) return reply.redirect(`${baseOf(slug, id)}?notice=peers`, 303);
      const doc = await editable(actor, request);
      const raw = request.body.peers;
      const chosen = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      return reply
        .code(r.errors.fields.form ? 409 : 400)
        .page('assessments/views/peers.njk', await peersPage(actor, slug, doc, chosen, r.errors));
    },
  );
}
