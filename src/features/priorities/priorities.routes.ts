import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt } from '../../core/form-errors.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { SCALE, SCALE_TEXT, messages, scoreField } from './priorities.schemas.js';
import type { ExerciseView } from './priorities.service.js';

type Form = Record<string, string | string[] | undefined>;
type SlugParams = { slug: string };
type ExerciseParams = SlugParams & { exerciseId: string };

const NOTICES: Record<string, string> = {
  created: 'Exercise started. Add the candidate issues, then check the criteria and weights.',
  criteria: 'Criteria and weights saved.',
  candidates: 'Candidates saved.',
  scored: 'Your scores are saved. You can change them until scoring closes.',
  unchanged: 'No scores were changed.',
  closed: 'Scoring closed. The ranked result is final.',
};

/** Blank rows offered under the list for new criteria or candidates. */
const NEW_ROWS = 2;

const text = (v: string | string[] | undefined): string =>
  Array.isArray(v) ? (v.at(-1) ?? '') : (v ?? '');

/** Rows posted as `prefix-N-field`, N from 1, in order. */
function formRows(body: Form, prefix: string, fields: string[]): Record<string, string>[] {
  const numbers = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = new RegExp(`^${prefix}-(\\d+)-`).exec(key);
    if (m?.[1]) numbers.add(Number(m[1]));
  }
  const max = Math.max(0, ...numbers);
  const rows: Record<string, string>[] = [];
  for (let n = 1; n <= Math.min(max, 200); n += 1) {
    rows.push(Object.fromEntries(fields.map((f) => [f, text(body[`${prefix}-${n}-${f}`])])));
  }
  return rows;
}

const ordinal = (n: number): string => {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
};

/** Priority setting: exercises, their criteria and candidates, scoring, the result, the plan. */
export async function priorityRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, priorities } = app.services;
  const base = (slug: string) => `/partnerships/${slug}/priorities`;
  const crumbs = (p: { slug: string; name: string }, e?: { id: number; title: string }) => [
    { text: p.name, href: `/partnerships/${p.slug}` },
    { text: 'Priority setting', href: base(p.slug) },
    ...(e ? [{ text: e.title, href: `${base(p.slug)}/${e.id}` }] : []),
  ];

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/priorities',
    async (request, reply) => {
      const actor = actorOf(request);
      const p = await partnerships.get(actor, request.params.slug);
      return reply.page('priorities/views/list.njk', {
        title: `Priority setting – ${p.name}`,
        p,
        exercises: await priorities.list(actor, p.slug),
      });
    },
  );

  const newPage = async (actor: Actor, slug: string, values: Form) => {
    const p = await partnerships.get(actor, slug);
    return { title: 'Start a priority-setting exercise', p, values, breadcrumbs: crumbs(p) };
  };

  app.get<{ Params: SlugParams }>('/partnerships/:slug/priorities/new', async (request, reply) => {
    const actor = actorOf(request);
    await partnerships.manageable(actor, request.params.slug);
    return reply.page('priorities/views/new.njk', await newPage(actor, request.params.slug, {}));
  });

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/priorities/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const r = await attempt(() => priorities.create(actor, slug, request.body));
      if (!r.ok)
        return reply.code(400).page('priorities/views/new.njk', {
          ...(await newPage(actor, slug, request.body)),
          errors: r.errors,
        });
      return reply.redirect(`${base(slug)}/${r.value.id}?notice=created`, 303);
    },
  );

  const exercisePage = async (actor: Actor, slug: string, exerciseId: number) => {
    const p = await partnerships.get(actor, slug);
    const exercise = await priorities.get(actor, slug, exerciseId);
    return { p, exercise, breadcrumbs: crumbs(p) };
  };

  app.get<{ Params: ExerciseParams; Querystring: Form }>(
    '/partnerships/:slug/priorities/:exerciseId',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const page = await exercisePage(actor, slug, idParam(request.params.exerciseId));
      return reply.page('priorities/views/show.njk', {
        title: `${page.exercise.title} – ${page.p.name}`,
        ...page,
        result: await priorities.result(actor, slug, page.exercise.id),
        history: await priorities.history(actor, slug, page.exercise.id),
        notice: NOTICES[text(request.query.notice)],
        scaleText: SCALE_TEXT,
      });
    },
  );

  // Criteria and candidates: one form each, a row per item, blank rows to add, a box to remove.
  const criteriaRows = (e: ExerciseView, posted?: Record<string, string>[]) =>
    posted ?? [
      ...e.criteria.map((c) => ({
        id: String(c.id),
        name: c.name,
        weight: String(c.weight),
        remove: '',
      })),
      ...Array.from({ length: NEW_ROWS }, () => ({ id: '', name: '', weight: '', remove: '' })),
    ];
  const candidateRows = (e: ExerciseView, posted?: Record<string, string>[]) =>
    posted ?? [
      ...e.candidates.map((c) => ({
        id: String(c.id),
        title: c.title,
        evidence: c.evidence,
        remove: '',
      })),
      ...Array.from({ length: NEW_ROWS }, () => ({ id: '', title: '', evidence: '', remove: '' })),
    ];

  for (const part of ['criteria', 'candidates'] as const) {
    const fields =
      part === 'criteria'
        ? ['id', 'name', 'weight', 'remove']
        : ['id', 'title', 'evidence', 'remove'];
    const partPage = async (
      actor: Actor,
      slug: string,
      id: number,
      posted?: Record<string, string>[],
    ) => {
      await partnerships.manageable(actor, slug);
      const page = await exercisePage(actor, slug, id);
      return {
        ...page,
        title: `${part === 'criteria' ? 'Criteria and weights' : 'Candidate issues'} – ${page.exercise.title}`,
        breadcrumbs: crumbs(page.p, page.exercise),
        rows:
          part === 'criteria'
            ? criteriaRows(page.exercise, posted)
            : candidateRows(page.exercise, posted),
      };
    };
    app.get<{ Params: ExerciseParams }>(
      `/partnerships/:slug/priorities/:exerciseId/${part}`,
      async (request, reply) => {
        const { slug } = request.params;
        const page = await partPage(actorOf(request), slug, idParam(request.params.exerciseId));
        return reply.page(`priorities/views/${part}.njk`, page);
      },
    );
    app.post<{ Params: ExerciseParams; Body: Form }>(
      `/partnerships/:slug/priorities/:exerciseId/${part}`,
      async (request, reply) => {
        const actor = actorOf(request);
        const { slug } = request.params;
        const id = idParam(request.params.exerciseId);
        const rows = formRows(request.body, part, fields);
        const r = await attempt(() =>
          part === 'criteria'
            ? priorities.saveCriteria(actor, slug, id, { criteria: rows })
            : priorities.saveCandidates(actor, slug, id, { candidates: rows }),
        );
        if (!r.ok)
          return reply.code(400).page(`priorities/views/${part}.njk`, {
            ...(await partPage(actor, slug, id, rows)),
            errors: r.errors,
          });
        return reply.redirect(`${base(slug)}/${id}?notice=${part}`, 303);
      },
    );
  }

  const scorePage = async (actor: Actor, slug: string, id: number, entered?: Form) => {
    await priorities.checkScorer(actor, slug, id);
    const page = await exercisePage(actor, slug, id);
    const mine = await priorities.myScores(actor, slug, id);
    const values = entered ?? mine;
    return {
      ...page,
      title: `Score the candidates – ${page.exercise.title}`,
      breadcrumbs: crumbs(page.p, page.exercise),
      scaleText: SCALE_TEXT,
      rescoring: Object.keys(mine).length > 0,
      grid: page.exercise.candidates.map((c) => ({
        candidate: c,
        cells: page.exercise.criteria.map((k) => {
          const field = scoreField(c.id, k.id);
          const chosen = text(values[field]);
          return {
            field,
            label: `${k.name} score for ${c.title}`,
            items: [
              { value: '', text: 'Select', selected: chosen === '' },
              ...SCALE.map((n) => ({
                value: String(n),
                text: String(n),
                selected: chosen === String(n),
              })),
            ],
          };
        }),
      })),
    };
  };

  app.get<{ Params: ExerciseParams }>(
    '/partnerships/:slug/priorities/:exerciseId/score',
    async (request, reply) => {
      const { slug } = request.params;
      return reply.page(
        'priorities/views/score.njk',
        await scorePage(actorOf(request), slug, idParam(request.params.exerciseId)),
      );
    },
  );

  app.post<{ Params: ExerciseParams; Body: Form }>(
    '/partnerships/:slug/priorities/:exerciseId/score',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const id = idParam(request.params.exerciseId);
      const r = await attempt(() => priorities.saveScores(actor, slug, id, request.body));
      if (!r.ok)
        return reply.code(400).page('priorities/views/score.njk', {
          ...(await scorePage(actor, slug, id, request.body)),
          errors: r.errors,
        });
      return reply.redirect(
        `${base(slug)}/${id}?notice=${r.value === 0 ? 'unchanged' : 'scored'}`,
        303,
      );
    },
  );

  app.post<{ Params: ExerciseParams }>(
    '/partnerships/:slug/priorities/:exerciseId/close',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const id = idParam(request.params.exerciseId);
      const r = await attempt(() => priorities.close(actor, slug, id));
      if (!r.ok) {
        const page = await exercisePage(actor, slug, id);
        return reply.code(400).page('priorities/views/show.njk', {
          title: `${page.exercise.title} – ${page.p.name}`,
          ...page,
          result: await priorities.result(actor, slug, id),
          history: await priorities.history(actor, slug, id),
          scaleText: SCALE_TEXT,
          errors: r.errors,
        });
      }
      return reply.redirect(`${base(slug)}/${id}/result?notice=closed`, 303);
    },
  );

  app.get<{ Params: ExerciseParams; Querystring: Form }>(
    '/partnerships/:slug/priorities/:exerciseId/result',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const page = await exercisePage(actor, slug, idParam(request.params.exerciseId));
      const id = page.exercise.id;
      return reply.page('priorities/views/result.njk', {
        ...page,
        title: `Ranked result – ${page.exercise.title}`,
        breadcrumbs: crumbs(page.p, page.exercise),
        result: await priorities.result(actor, slug, id),
        partnerScores: page.exercise.canManage
          ? await priorities.partnerScores(actor, slug, id)
          : [],
        notice: NOTICES[text(request.query.notice)],
      });
    },
  );

  // Choosing: number the chosen candidates, then confirm, then the plan is started.
  const choosePage = async (actor: Actor, slug: string, id: number, values: Form) => {
    const page = await exercisePage(actor, slug, id);
    const start = await priorities.planStart(actor, slug, page.exercise.id);
    const result = await priorities.result(actor, slug, page.exercise.id);
    const n = result.rows.length;
    return {
      ...page,
      title: `Choose the priorities – ${page.exercise.title}`,
      breadcrumbs: crumbs(page.p, page.exercise),
      start,
      result,
      values: { title: start.defaultTitle, carryThemes: 'yes', ...values },
      orderItems: (candidateId: number) => {
        const chosen = text(values[`order-${candidateId}`]);
        return [
          { value: '', text: 'Not chosen', selected: chosen === '' },
          ...Array.from({ length: n }, (_, i) => ({
            value: String(i + 1),
            text: ordinal(i + 1),
            selected: chosen === String(i + 1),
          })),
        ];
      },
    };
  };

  /** The candidates numbered on the choose form, in their order, or the error to show. */
  const chosenOrder = (body: Form): { ids: number[] } | { error: string } => {
    const numbered: [number, number][] = [];
    for (const [key, value] of Object.entries(body)) {
      const m = /^order-(\d+)$/.exec(key);
      const v = text(value).trim();
      if (m?.[1] && v !== '') numbered.push([Number(v), Number(m[1])]);
    }
    if (numbered.length === 0) return { error: messages.noneChosen };
    numbered.sort((a, b) => a[0] - b[0]);
    for (const [i, [n]] of numbered.entries()) {
      if (numbered.filter(([x]) => x === n).length > 1)
        return { error: messages.orderRepeated(ordinal(n)) };
      if (n !== i + 1) return { error: messages.orderGap };
    }
    return { ids: numbered.map(([, id]) => id) };
  };

  app.get<{ Params: ExerciseParams }>(
    '/partnerships/:slug/priorities/:exerciseId/choose',
    async (request, reply) => {
      const { slug } = request.params;
      return reply.page(
        'priorities/views/choose.njk',
        await choosePage(actorOf(request), slug, idParam(request.params.exerciseId), {}),
      );
    },
  );

  app.post<{ Params: ExerciseParams; Body: Form }>(
    '/partnerships/:slug/priorities/:exerciseId/choose',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const id = idParam(request.params.exerciseId);
      const page = await choosePage(actor, slug, id, request.body);
      const order = chosenOrder(request.body);
      const title = text(request.body.title).trim();
      const problems: { text: string; href: string }[] = [];
      const fields: Record<string, { text: string }> = {};
      if ('error' in order) {
        problems.push({ text: order.error, href: '#priorities' });
        fields.priorities = { text: order.error };
      }
      if (title === '') {
        problems.push({ text: messages.planTitleEmpty, href: '#title' });
        fields.title = { text: messages.planTitleEmpty };
      }
      if (problems.length || 'error' in order)
        return reply
          .code(400)
          .page('priorities/views/choose.njk', { ...page, errors: { summary: problems, fields } });
      const byId = new Map(page.exercise.candidates.map((c) => [c.id, c]));
      return reply.page('priorities/views/confirm.njk', {
        ...page,
        title: `Start the ${page.start.periodLabel} plan – ${page.exercise.title}`,
        planTitle: title,
        carryThemes: text(request.body.carryThemes) === 'yes',
        chosen: order.ids.map((cid) => byId.get(cid)).filter((c) => c !== undefined),
      });
    },
  );

  app.post<{ Params: ExerciseParams; Body: Form }>(
    '/partnerships/:slug/priorities/:exerciseId/start',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const id = idParam(request.params.exerciseId);
      const body = request.body;
      const r = await attempt(() =>
        priorities.startPlan(actor, slug, id, {
          title: text(body.title),
          priorities: [body.priorities ?? []].flat(),
          carryThemes: text(body.carryThemes),
        }),
      );
      if (!r.ok)
        return reply.code(400).page('priorities/views/choose.njk', {
          ...(await choosePage(actor, slug, id, {})),
          errors: r.errors,
        });
      return reply.redirect(`/partnerships/${slug}/plans/${r.value.id}`, 303);
    },
  );
}
