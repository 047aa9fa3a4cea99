import { parseInput } from '../../core/form-errors.js';
import { groupSchema } from '../groups/groups.schemas.js';
import {
  addAgencySchema,
  addMemberSchema,
  changeRoleSchema,
} from '../partnerships/partnerships.schemas.js';
import { idParam } from '../partnerships/partnerships.routes.js';
import {
  AddedMember,
  Agency,
  Group,
  GroupDetail,
  Me,
  Member,
  Partnership,
  PartnershipSummary,
} from './api.schemas.js';
import { ASSESSMENT_ENDPOINTS } from './assessments.endpoints.js';
import { CRIME_ENDPOINTS } from './crime.endpoints.js';
import { endpoint, type Endpoint } from './endpoint.js';
import { FUNDING_ENDPOINTS } from './funding.endpoints.js';
import { INDICATOR_ENDPOINTS } from './indicators.endpoints.js';
import { PLAN_FILE_ENDPOINTS } from './plan-files.endpoints.js';
import { PLAN_ENDPOINTS } from './plans.endpoints.js';
import { PRIORITY_ENDPOINTS } from './priorities.endpoints.js';
import { REPORT_ENDPOINTS } from './reports.endpoints.js';
import { ROUND_ENDPOINTS } from './rounds.endpoints.js';

/**
 * Every API operation, in one table: the routes are registered from it and the OpenAPI document
 * is built from it, so the two cannot drift apart. Access is the services' business, as for pages.
 */
export const ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: '/me',
    summary: 'The account the token belongs to, with its partnerships and roles',
    tag: 'Account',
    status: 200,
    response: { schema: Me },
    run: async ({ services, actor }) => {
      const a = await services.accounts.get(actor, actor.userId ?? 0);
      return { ...a, agency: { id: a.agencyId, name: a.agency } };
    },
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships',
    summary: 'The partnerships you can read',
    tag: 'Partnerships',
    status: 200,
    response: { schema: PartnershipSummary, list: true },
    run: ({ services, actor }) => services.partnerships.listFor(actor),
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}',
    summary: 'One partnership',
    tag: 'Partnerships',
    status: 200,
    response: { schema: Partnership },
    run: ({ services, actor, params }) => services.partnerships.get(actor, params.slug),
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/members',
    summary: 'The partnership’s members and their roles',
    tag: 'Members',
    status: 200,
    response: { schema: Member, list: true },
    run: ({ services, actor, params }) => services.members.members(actor, params.slug),
  }),
  endpoint({
    method: 'POST',
    path: '/partnerships/{slug}/members',
    summary:
      'Add a person by email (coordinators). A person with no account needs a name and an agency',
    tag: 'Members',
    body: addMemberSchema,
    status: 201,
    response: { schema: AddedMember },
    run: async ({ services, actor, params, body }) => {
      const r = await services.members.addMember(actor, params.slug, body);
      return { ...r.member, signInLink: r.signInLink };
    },
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/members/{userId}',
    summary: 'One member',
    tag: 'Members',
    status: 200,
    response: { schema: Member },
    run: ({ services, actor, params }) =>
      services.members.member(actor, params.slug, idParam(params.userId)),
  }),
  endpoint({
    method: 'PATCH',
    path: '/partnerships/{slug}/members/{userId}',
    summary: 'Change a member’s role (coordinators)',
    tag: 'Members',
    body: changeRoleSchema,
    status: 200,
    response: { schema: Member },
    run: async ({ services, actor, params, body }) => {
      const userId = idParam(params.userId);
      await services.members.changeRole(actor, params.slug, userId, body);
      return services.members.member(actor, params.slug, userId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: '/partnerships/{slug}/members/{userId}',
    summary: 'Remove a member (coordinators); a partnership keeps at least one coordinator',
    tag: 'Members',
    status: 204,
    refusal: 'The member is the partnership’s last coordinator',
    run: ({ services, actor, params }) =>
      services.members.removeMember(actor, params.slug, idParam(params.userId)),
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/agencies',
    summary: 'The partnership’s partner agencies',
    tag: 'Agencies',
    status: 200,
    response: { schema: Agency, list: true },
    run: ({ services, actor, params }) => services.partnerships.partnerAgencies(actor, params.slug),
  }),
  endpoint({
    method: 'POST',
    path: '/partnerships/{slug}/agencies',
    summary: 'Add a partner agency from the shared list of agencies (coordinators)',
    tag: 'Agencies',
    body: addAgencySchema,
    status: 201,
    response: { schema: Agency },
    run: async ({ services, actor, params, body }) => {
      await services.partnerships.addPartnerAgency(actor, params.slug, body);
      // The service has accepted the body, so it parses here too.
      return services.agencies.get(parseInput(addAgencySchema, body).agencyId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: '/partnerships/{slug}/agencies/{agencyId}',
    summary: 'Remove a partner agency (coordinators)',
    tag: 'Agencies',
    status: 204,
    run: ({ services, actor, params }) =>
      services.partnerships.removePartnerAgency(actor, params.slug, idParam(params.agencyId)),
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/groups',
    summary: 'The partnership’s groups: executive, sub-groups and panels',
    tag: 'Groups',
    status: 200,
    response: { schema: Group, list: true },
    run: ({ services, actor, params }) => services.groups.list(actor, params.slug),
  }),
  endpoint({
    method: 'POST',
    path: '/partnerships/{slug}/groups',
    summary: 'Create a group (coordinators)',
    tag: 'Groups',
    body: groupSchema,
    status: 201,
    response: { schema: Group },
    run: ({ services, actor, params, body }) => services.groups.create(actor, params.slug, body),
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/groups/{groupId}',
    summary: 'One group with its member agencies and people',
    tag: 'Groups',
    status: 200,
    response: { schema: GroupDetail },
    run: ({ services, actor, params }) =>
      services.groups.get(actor, params.slug, idParam(params.groupId)),
  }),
  endpoint({
    method: 'PATCH',
    path: '/partnerships/{slug}/groups/{groupId}',
    summary:
      'Change a group (coordinators, and leads who sit on it); fields left out keep their value',
    tag: 'Groups',
    body: groupSchema.partial(),
    status: 200,
    response: { schema: GroupDetail },
    run: async ({ services, actor, params, body }) => {
      const groupId = idParam(params.groupId);
      const g = await services.groups.get(actor, params.slug, groupId);
      const current = {
        name: g.name,
        kind: g.kind,
        keyFunctions: g.keyFunctions,
        meetingFrequency: g.meetingFrequency,
      };
      await services.groups.update(actor, params.slug, groupId, { ...current, ...body });
      return services.groups.get(actor, params.slug, groupId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: '/partnerships/{slug}/groups/{groupId}',
    summary: 'Delete a group (coordinators); its history stays in the audit trail',
    tag: 'Groups',
    status: 204,
    run: ({ services, actor, params }) =>
      services.groups.delete(actor, params.slug, idParam(params.groupId)),
  }),
  ...PLAN_ENDPOINTS,
  ...PLAN_FILE_ENDPOINTS,
  ...ROUND_ENDPOINTS,
  ...INDICATOR_ENDPOINTS,
  ...REPORT_ENDPOINTS,
  ...ASSESSMENT_ENDPOINTS,
  ...CRIME_ENDPOINTS,
  ...PRIORITY_ENDPOINTS,
  ...FUNDING_ENDPOINTS,
  endpoint({
    method: 'GET',
    path: '/agencies',
    summary: 'Every agency: the shared list partnerships choose their partners from',
    tag: 'Agencies',
    status: 200,
    response: { schema: Agency, list: true },
    run: ({ services }) => services.agencies.list(),
  }),
];
