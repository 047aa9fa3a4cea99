import { z } from 'zod';
import { ROLES } from '../../core/actor.js';
import { AGENCY_KINDS } from '../agencies/agencies.schemas.js';
import { GROUP_KINDS } from '../groups/groups.schemas.js';
import { PARTNERSHIP_TYPES } from '../partnerships/partnerships.schemas.js';

/**
 * What the API answers with. Every answer is parsed through its schema before it is sent, so
 * the OpenAPI document describes exactly what goes out, and a field a service adds later does
 * not reach API callers until it is added here.
 */
export const apiSchemas = z.registry<{ id: string }>();

const id = z.int().positive();
const when = z.iso.datetime();
const role = z.enum(ROLES);
const ref = z.object({ slug: z.string(), name: z.string() });

export const PartnershipSummary = z.object({
  id,
  slug: z.string(),
  name: z.string(),
  type: z.enum(PARTNERSHIP_TYPES),
  parentId: id.nullable(),
  role: role.nullable().meta({ description: 'Your role in the partnership, if you are a member' }),
});
apiSchemas.add(PartnershipSummary, { id: 'PartnershipSummary' });

export const Partnership = PartnershipSummary.extend({
  parent: ref.nullable(),
  districts: z.array(ref),
  areas: z.array(z.string()).meta({ description: 'ONS codes of the districts covered' }),
  canManage: z.boolean(),
  createdAt: when,
  updatedAt: when,
});
apiSchemas.add(Partnership, { id: 'Partnership' });

export const Member = z.object({
  userId: id,
  name: z.string(),
  email: z.email(),
  agency: z.string(),
  role,
  since: when,
  status: z.enum(['active', 'invited', 'disabled']),
});
apiSchemas.add(Member, { id: 'Member' });

export const AddedMember = Member.extend({
  signInLink: z.string().optional().meta({
    description: 'Only when the person had no account: a one-time link to set their password',
  }),
});
apiSchemas.add(AddedMember, { id: 'AddedMember' });

export const Agency = z.object({ id, name: z.string(), kind: z.enum(AGENCY_KINDS) });
apiSchemas.add(Agency, { id: 'Agency' });

export const Group = z.object({
  id,
  name: z.string(),
  kind: z.enum(GROUP_KINDS),
  keyFunctions: z.string(),
  meetingFrequency: z.string(),
  memberCount: z.int().nonnegative(),
});
apiSchemas.add(Group, { id: 'Group' });

export const GroupDetail = Group.extend({
  members: z.array(
    z.object({
      id,
      type: z.enum(['agency', 'person']),
      refId: id.meta({ description: 'The agency’s or the person’s id' }),
      name: z.string(),
      detail: z.string().meta({ description: 'The agency’s kind, or the person’s agency' }),
    }),
  ),
  canEdit: z.boolean(),
  canManage: z.boolean(),
});
apiSchemas.add(GroupDetail, { id: 'GroupDetail' });

export const Me = z.object({
  id,
  name: z.string(),
  email: z.email(),
  agency: z.object({ id, name: z.string() }),
  isAdmin: z.boolean(),
  memberships: z.array(ref.extend({ role })),
});
apiSchemas.add(Me, { id: 'Me' });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'With 422: each rule the request broke, by field' }),
  })
  .meta({ description: 'An RFC 9457 problem document, the one shape of every error' });
apiSchemas.add(Problem, { id: 'Problem' });
