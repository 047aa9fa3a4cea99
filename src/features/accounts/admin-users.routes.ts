import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt, type FormErrors } from '../../core/form-errors.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { ROLE_LABELS } from '../partnerships/partnerships.schemas.js';
import type { Account } from './accounts.service.js';

type Form = Record<string, string | undefined>;
type IdParams = { id: string };

/** Status as a tag with words, never colour alone. */
export function accountStatus(a: Account): { text: string; classes: string } {
  if (a.disabled) return { text: 'Disabled', classes: 'govuk-tag--grey' };
  if (!a.hasPassword) return { text: 'No password yet', classes: 'govuk-tag--yellow' };
  return { text: 'Active', classes: 'govuk-tag--green' };
}

/** "24 hours", "30 minutes": how long a one-time link lasts, in words. */
export function lifetimeInWords(minutes: number): string {
  const [n, unit] = minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

const NOTICES: Record<string, (a: Account) => string> = {
  disabled: (a) => `Account disabled. ${a.name} has been signed out and cannot sign in.`,
  enabled: (a) => `Account enabled. ${a.name} can sign in again.`,
};

export async function adminUserRoutes(app: FastifyInstance): Promise<void> {
  const { accounts, agencies, config } = app.services;
  const linkLifetime = lifetimeInWords(config.oneTimeLinkMinutes);
  const listCrumb = { text: 'Accounts', href: '/admin/users' };

  const newPage = async (values: Form = {}) => ({
    title: 'Create an account',
    values,
    agencyItems: [
      { value: '', text: 'Select an agency' },
      ...(await agencies.list()).map((a) => ({ value: String(a.id), text: a.name })),
    ],
    breadcrumbs: [listCrumb],
  });

  const showPage = async (actor: Actor, id: number, errors?: FormErrors, notice?: string) => {
    const account = await accounts.get(actor, id);
    return {
      title: account.name,
      account,
      status: accountStatus(account),
      isSelf: actor.userId === account.id,
      history: await accounts.history(actor, id),
      roleLabels: ROLE_LABELS,
      breadcrumbs: [listCrumb],
      errors,
      notice: notice ? NOTICES[notice]?.(account) : undefined,
    };
  };

  app.get('/admin/users', async (request, reply) => {
    const list = await accounts.list(actorOf(request));
    return reply.page('accounts/views/list.njk', {
      title: 'Accounts',
      accounts: list.map((a) => ({ ...a, status: accountStatus(a) })),
      roleLabels: ROLE_LABELS,
    });
  });

  app.get('/admin/users/new', async (request, reply) => {
    accounts.assertCanManage(actorOf(request));
    return reply.page('accounts/views/new.njk', await newPage());
  });

  app.post<{ Body: Form }>('/admin/users/new', async (request, reply) => {
    const actor = actorOf(request);
    const r = await attempt(() => accounts.create(actor, request.body));
    if (!r.ok) {
      return reply
        .code(400)
        .page('accounts/views/new.njk', { ...(await newPage(request.body)), errors: r.errors });
    }
    const account = await accounts.get(actor, r.value.id);
    return reply.page('accounts/views/link.njk', {
      title: `Account created for ${account.name}`,
      account,
      created: true,
      link: r.value.signInLink,
      linkLifetime,
      breadcrumbs: [listCrumb],
    });
  });

  app.get<{ Params: IdParams; Querystring: { notice?: string } }>(
    '/admin/users/:id',
    async (request, reply) => {
      const actor = actorOf(request);
      accounts.assertCanManage(actor);
      const page = await showPage(
        actor,
        idParam(request.params.id),
        undefined,
        request.query.notice,
      );
      return reply.page('accounts/views/show.njk', page);
    },
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post<{ Params: IdParams }>(`/admin/users/:id/${action}`, async (request, reply) => {
      const actor = actorOf(request);
      const id = idParam(request.params.id);
      const r = await attempt(() => accounts.setDisabled(actor, id, disabled));
      if (!r.ok) {
        return reply.code(400).page('accounts/views/show.njk', await showPage(actor, id, r.errors));
      }
      return reply.redirect(`/admin/users/${id}?notice=${action}d`, 303);
    });
  }

  app.post<{ Params: IdParams }>('/admin/users/:id/reset-link', async (request, reply) => {
    const actor = actorOf(request);
    const id = idParam(request.params.id);
    const link = await accounts.resetLink(actor, id);
    const account = await accounts.get(actor, id);
    return reply.page('accounts/views/link.njk', {
      title: `Password reset link for ${account.name}`,
      account,
      created: false,
      link,
      linkLifetime,
      breadcrumbs: [listCrumb, { text: account.name, href: `/admin/users/${account.id}` }],
    });
  });
}
