import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../../core/schema-helpers.js';

export const GROUP_KINDS = ['executive', 'sub-group', 'panel', 'other'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
export const GROUP_KIND_LABELS: Record<GroupKind, string> = {
  executive: 'Executive group',
  'sub-group': 'Sub-group',
  panel: 'Panel',
  other: 'Other',
};

export const messages = {
  nameEmpty: 'Enter the group’s name',
  nameTooLong: 'Group name must be 200 characters or fewer',
  nameTaken: 'The partnership already has a group with this name',
  kindMissing: 'Select the kind of group',
  functionsTooLong: 'Key functions must be 5,000 characters or fewer',
  frequencyTooLong: 'Meeting frequency must be 100 characters or fewer',
  memberMissing: 'Select an agency or a person to add',
  memberBoth: 'Select an agency or a person, not both',
  agencyNotPartner: 'Select one of the partnership’s agencies',
  personNotMember: 'Select one of the partnership’s members',
  alreadyInGroup: 'They are already in this group',
};

export const groupSchema = z.object({
  name: requiredText(messages.nameEmpty, 200, messages.nameTooLong),
  kind: z.enum(GROUP_KINDS, { error: messages.kindMissing }),
  keyFunctions: optionalText(5000, messages.functionsTooLong),
  meetingFrequency: optionalText(100, messages.frequencyTooLong),
});
export type GroupInput = z.input<typeof groupSchema>;

export const groupMemberSchema = z
  .object({
    agencyId: optionalId(messages.agencyNotPartner),
    userId: optionalId(messages.personNotMember),
  })
  .refine((v) => v.agencyId !== undefined || v.userId !== undefined, {
    message: messages.memberMissing,
    path: ['agencyId'],
  })
  .refine((v) => v.agencyId === undefined || v.userId === undefined, {
    message: messages.memberBoth,
    path: ['agencyId'],
  });
