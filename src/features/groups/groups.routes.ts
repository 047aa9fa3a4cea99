import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt } from '../../core/form-errors.js';
import { AGENCY_KIND_LABELS } from '../agencies/agencies.schemas.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { GROUP_KINDS, GROUP_KIND_LABELS } from './groups.schemas.js';

type Form = Record<string, string | undefined>;
type SlugParams = { slug: string };
type GroupParams = { slug: string; groupId: string };

const KIND_ITEMS = GROUP_KINDS.map((k) => ({ value: k, text: GROUP_KIND_LABELS[k] }));

const NOTICES: Record<string, string> = {
  created: 'Group created.',
  saved: 'Group saved.',
  deleted: 'Group deleted.',
  added: 'Added to the group.',
  removed: 'Removed from the group.',
};

export async function groupRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, members, groups } = app.services;

  const crumbs = (p: { slug: string; name: string }) => [
    { text: p.name, href: `/partnerships/${p.slug}` },
    { text: 'Groups', href: `/partnerships/${p.slug}/groups` },
  ];

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/groups',
    async (request, reply) => {
      const actor = actorOf(request);
      const p = await partnerships.get(actor, request.params.slug);
      return reply.page('groups/views/list.njk', {
        title: `Groups – ${p.name}`,
        p,
        groups: await groups.list(actor, p.slug),
        kindLabels: GROUP_KIND_LABELS,
        notice: NOTICES[request.query.notice ?? ''],
      });
    },
  );

  const formPage = async (actor: Actor, slug: string, values: Form, groupId?: number) => {
    const p = await partnerships.get(actor, slug);
    return { p, values, kindItems: KIND_ITEMS, groupId, breadcrumbs: crumbs(p) };
  };

  app.get<{ Params: SlugParams }>('/partnerships/:slug/groups/new', async (request, reply) => {
    const actor = actorOf(request);
    await partnerships.manageable(actor, request.params.slug);
    return reply.page('groups/views/form.njk', {
      title: 'Create a group',
      ...(await formPage(actor, request.params.slug, {})),
    });
  });

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/groups/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const r = await attempt(() => groups.create(actor, slug, request.body));
      if (!r.ok) {
        return reply.code(400).page('groups/views/form.njk', {
          title: 'Create a group',
          ...(await formPage(actor, slug, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`/partnerships/${slug}/groups/${r.value.id}?notice=created`, 303);
    },
  );

  const showPage = async (actor: Actor, slug: string, groupId: number) => {
    const p = await partnerships.get(actor, slug);
    const group = await groups.get(actor, slug, groupId);
    const inGroup = new Set(group.members.map((m) => `${m.type}:${m.refId}`));
    return {
      title: `${group.name} – ${p.name}`,
      p,
      group,
      kindLabels: GROUP_KIND_LABELS,
      agencyKindLabels: AGENCY_KIND_LABELS,
      history: await groups.history(actor, slug, groupId),
      agencyChoices: group.canManage
        ? (await partnerships.partnerAgencies(actor, slug)).filter(
            (a) => !inGroup.has(`agency:${a.id}`),
          )
        : [],
      personChoices: group.canManage
        ? (await members.members(actor, slug)).filter((m) => !inGroup.has(`person:${m.userId}`))
        : [],
      breadcrumbs: crumbs(p),
    };
  };

  app.get<{ Params: GroupParams; Querystring: Form }>(
    '/partnerships/:slug/groups/:groupId',
    async (request, reply) => {
      const page = await showPage(
        actorOf(request),
        request.params.slug,
        idParam(request.params.groupId),
      );
      return reply.page('groups/views/show.njk', {
        ...page,
        notice: NOTICES[request.query.notice ?? ''],
      });
    },
  );

  app.get<{ Params: GroupParams }>(
    '/partnerships/:slug/groups/:groupId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const group = await groups.get(actor, slug, idParam(request.params.groupId));
      if (!group.canEdit)
        return reply.code(403).page('errors/forbidden.njk', {
          message: 'Only coordinators and the group’s own leads can change it.',
        });
      const values = {
        name: group.name,
        kind: group.kind,
        keyFunctions: group.keyFunctions,
        meetingFrequency: group.meetingFrequency,
      };
      return reply.page('groups/views/form.njk', {
        title: `Change ${group.name}`,
        ...(await formPage(actor, slug, values, group.id)),
      });
    },
  );

  app.post<{ Params: GroupParams; Body: Form }>(
    '/partnerships/:slug/groups/:groupId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const groupId = idParam(request.params.groupId);
      const r = await attempt(() => groups.update(actor, slug, groupId, request.body));
      if (!r.ok) {
        return reply.code(400).page('groups/views/form.njk', {
          title: 'Change group',
          ...(await formPage(actor, slug, request.body, groupId)),
          errors: r.errors,
        });
      }
      return reply.redirect(`/partnerships/${slug}/groups/${groupId}?notice=saved`, 303);
    },
  );

  app.post<{ Params: GroupParams }>(
    '/partnerships/:slug/groups/:groupId/delete',
    async (request, reply) => {
      await groups.delete(actorOf(request), request.params.slug, idParam(request.params.groupId));
      return reply.redirect(`/partnerships/${request.params.slug}/groups?notice=deleted`, 303);
    },
  );

  app.post<{ Params: GroupParams; Body: Form }>(
    '/partnerships/:slug/groups/:groupId/members',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const groupId = idParam(request.params.groupId);
      const r = await attempt(() => groups.addMember(actor, slug, groupId, request.body));
      if (!r.ok) {
        return reply.code(400).page('groups/views/show.njk', {
          ...(await showPage(actor, slug, groupId)),
          errors: r.errors,
        });
      }
      return reply.redirect(`/partnerships/${slug}/groups/${groupId}?notice=added`, 303);
    },
  );

  app.post<{ Params: GroupParams & { memberId: string } }>(
    '/partnerships/:slug/groups/:groupId/members/:memberId/remove',
    async (request, reply) => {
      const { slug } = request.params;
      const groupId = idParam(request.params.groupId);
      await groups.removeMember(actorOf(request), slug, groupId, idParam(request.params.memberId));
      return reply.redirect(`/partnerships/${slug}/groups/${groupId}?notice=removed`, 303);
    },
  );
}
