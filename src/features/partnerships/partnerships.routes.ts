import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt } from '../../core/form-errors.js';
import { AGENCY_KIND_LABELS } from '../agencies/agencies.schemas.js';
import { PARTNERSHIP_TYPES, ROLE_HINTS, ROLE_LABELS } from './partnerships.schemas.js';

type Form = Record<string, string | undefined>;
type SlugParams = { slug: string };

/** Routes behind sign-in always have an actor; this narrows the type. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('route reached without a signed-in actor');
  return request.actor;
}

export function idParam(value: string): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

const ROLE_ITEMS = (['coordinator', 'lead', 'viewer'] as const).map((r) => ({
  value: r,
  text: ROLE_LABELS[r],
  hint: { text: ROLE_HINTS[r] },
}));

export async function partnershipRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, members, agencies } = app.services;

  const newForm = async (actor: Actor, values: Form = {}) => ({
    title: 'Add a partnership',
    values,
    types: PARTNERSHIP_TYPES,
    counties: await partnerships.countiesForNew(actor),
  });

  app.get('/partnerships', async (request, reply) => {
    const actor = actorOf(request);
    return reply.page('partnerships/views/list.njk', {
      title: 'Partnerships',
      partnerships: await partnerships.listFor(actor),
      canCreate: actor.isAdmin,
    });
  });

  app.get('/partnerships/new', async (request, reply) => {
    return reply.page('partnerships/views/new.njk', await newForm(actorOf(request)));
  });

  app.post<{ Body: Form }>('/partnerships/new', async (request, reply) => {
    const actor = actorOf(request);
    const r = await attempt(() => partnerships.create(actor, request.body));
    if (!r.ok) {
      return reply.code(400).page('partnerships/views/new.njk', {
        ...(await newForm(actor, request.body)),
        errors: r.errors,
      });
    }
    return reply.redirect(`/partnerships/${r.value.slug}?created=1`, 303);
  });

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug',
    async (request, reply) => {
      const p = await partnerships.get(actorOf(request), request.params.slug);
      return reply.page('partnerships/views/show.njk', {
        title: p.name,
        p,
        history: await partnerships.history(actorOf(request), p.slug),
        notice:
          'created' in request.query
            ? 'Partnership added.'
            : 'saved' in request.query
              ? 'Settings saved.'
              : undefined,
      });
    },
  );

  const settingsPage = async (actor: Actor, slug: string, values?: Form) => {
    const p = await partnerships.get(actor, slug);
    return {
      title: `Settings – ${p.name}`,
      p,
      values: values ?? {
        name: p.name,
        areas: p.areas.join(', '),
        type: p.type,
        parent: p.parent?.slug ?? '',
      },
      counties: actor.isAdmin
        ? (await partnerships.countiesForNew(actor)).filter((c) => c.slug !== p.slug)
        : [],
      breadcrumbs: [{ text: p.name, href: `/partnerships/${p.slug}` }],
    };
  };

  app.get<{ Params: SlugParams }>('/partnerships/:slug/settings', async (request, reply) => {
    const actor = actorOf(request);
    await partnerships.manageable(actor, request.params.slug);
    return reply.page(
      'partnerships/views/settings.njk',
      await settingsPage(actor, request.params.slug),
    );
  });

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/settings',
    async (request, reply) => {
      const actor = actorOf(request);
      const r = await attempt(() =>
        partnerships.updateSettings(actor, request.params.slug, request.body),
      );
      if (!r.ok) {
        return reply.code(400).page('partnerships/views/settings.njk', {
          ...(await settingsPage(actor, request.params.slug, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`/partnerships/${request.params.slug}?saved=1`, 303);
    },
  );

  // Members

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/members',
    async (request, reply) => {
      const actor = actorOf(request);
      const p = await partnerships.get(actor, request.params.slug);
      return reply.page('partnerships/views/members.njk', {
        title: `Members – ${p.name}`,
        p,
        members: await members.members(actor, p.slug),
        roleLabels: ROLE_LABELS,
        notice:
          request.query.notice === 'removed'
            ? 'Member removed.'
            : request.query.notice === 'role'
              ? 'Role changed.'
              : undefined,
        breadcrumbs: [{ text: p.name, href: `/partnerships/${p.slug}` }],
      });
    },
  );

  const addMemberPage = async (actor: Actor, slug: string, values: Form = {}) => {
    const p = await partnerships.get(actor, slug);
    return {
      title: `Add a member – ${p.name}`,
      p,
      values,
      roleItems: ROLE_ITEMS,
      agencies: await agencies.list(),
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Members', href: `/partnerships/${p.slug}/members` },
      ],
    };
  };

  app.get<{ Params: SlugParams }>('/partnerships/:slug/members/add', async (request, reply) => {
    const actor = actorOf(request);
    await partnerships.manageable(actor, request.params.slug);
    return reply.page(
      'partnerships/views/add-member.njk',
      await addMemberPage(actor, request.params.slug),
    );
  });

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/members/add',
    async (request, reply) => {
      const actor = actorOf(request);
      const r = await attempt(() => members.addMember(actor, request.params.slug, request.body));
      if (!r.ok) {
        return reply.code(400).page('partnerships/views/add-member.njk', {
          ...(await addMemberPage(actor, request.params.slug, request.body)),
          errors: r.errors,
        });
      }
      const p = await partnerships.get(actor, request.params.slug);
      return reply.page('partnerships/views/member-added.njk', {
        title: `Member added – ${p.name}`,
        p,
        member: r.value.member,
        signInLink: r.value.signInLink,
        roleLabels: ROLE_LABELS,
      });
    },
  );

  const memberPage = async (actor: Actor, slug: string, userId: number) => {
    const p = await partnerships.get(actor, slug);
    const member = await members.member(actor, slug, userId);
    return {
      history: await members.memberHistory(actor, slug, userId),
      title: `${member.name} – ${p.name}`,
      p,
      member,
      values: { role: member.role },
      roleItems: ROLE_ITEMS,
      roleLabels: ROLE_LABELS,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Members', href: `/partnerships/${p.slug}/members` },
      ],
    };
  };

  type MemberParams = { slug: string; userId: string };

  app.get<{ Params: MemberParams }>(
    '/partnerships/:slug/members/:userId',
    async (request, reply) => {
      const { slug, userId } = request.params;
      return reply.page(
        'partnerships/views/member.njk',
        await memberPage(actorOf(request), slug, idParam(userId)),
      );
    },
  );

  app.post<{ Params: MemberParams; Body: Form }>(
    '/partnerships/:slug/members/:userId/role',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const userId = idParam(request.params.userId);
      const r = await attempt(() => members.changeRole(actor, slug, userId, request.body));
      if (!r.ok) {
        return reply.code(400).page('partnerships/views/member.njk', {
          ...(await memberPage(actor, slug, userId)),
          errors: r.errors,
        });
      }
      return reply.redirect(`/partnerships/${slug}/members?notice=role`, 303);
    },
  );

  app.post<{ Params: MemberParams }>(
    '/partnerships/:slug/members/:userId/remove',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const userId = idParam(request.params.userId);
      const r = await attempt(() => members.removeMember(actor, slug, userId));
      if (!r.ok) {
        return reply.code(400).page('partnerships/views/member.njk', {
          ...(await memberPage(actor, slug, userId)),
          errors: r.errors,
        });
      }
      return reply.redirect(`/partnerships/${slug}/members?notice=removed`, 303);
    },
  );

  // Partner agencies

  const agenciesPage = async (actor: Actor, slug: string) => {
    const p = await partnerships.get(actor, slug);
    const partners = await partnerships.partnerAgencies(actor, slug);
    const partnerIds = new Set(partners.map((a) => a.id));
    return {
      title: `Partner agencies – ${p.name}`,
      p,
      partners,
      kindLabels: AGENCY_KIND_LABELS,
      available: p.canManage ? (await agencies.list()).filter((a) => !partnerIds.has(a.id)) : [],
      breadcrumbs: [{ text: p.name, href: `/partnerships/${p.slug}` }],
    };
  };

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/agencies',
    async (request, reply) => {
      const page = await agenciesPage(actorOf(request), request.params.slug);
      const notice =
        request.query.notice === 'added'
          ? 'Agency added.'
          : request.query.notice === 'removed'
            ? 'Agency removed.'
            : undefined;
      return reply.page('partnerships/views/agencies.njk', { ...page, notice });
    },
  );

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/agencies',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const r = await attempt(() => partnerships.addPartnerAgency(actor, slug, request.body));
      if (!r.ok) {
        return reply.code(400).page('partnerships/views/agencies.njk', {
          ...(await agenciesPage(actor, slug)),
          errors: r.errors,
        });
      }
      return reply.redirect(`/partnerships/${slug}/agencies?notice=added`, 303);
    },
  );

  app.post<{ Params: { slug: string; agencyId: string } }>(
    '/partnerships/:slug/agencies/:agencyId/remove',
    async (request, reply) => {
      await partnerships.removePartnerAgency(
        actorOf(request),
        request.params.slug,
        idParam(request.params.agencyId),
      );
      return reply.redirect(`/partnerships/${request.params.slug}/agencies?notice=removed`, 303);
    },
  );
}
