import { z } from 'zod';
import { requiredText } from '../../core/schema-helpers.js';

export const AGENCY_KINDS = [
  'council',
  'police',
  'fire',
  'probation',
  'health',
  'housing',
  'vcs',
  'other',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  council: 'Council',
  police: 'Police',
  fire: 'Fire and rescue',
  probation: 'Probation',
  health: 'Health',
  housing: 'Housing',
  vcs: 'Voluntary and community sector',
  other: 'Other',
};

export const messages = {
  nameEmpty: 'Enter the agency’s name',
  nameTooLong: 'Agency name must be 200 characters or fewer',
  kindMissing: 'Select the kind of agency',
  nameTaken: 'An agency with this name already exists',
};

export const agencySchema = z.object({
  name: requiredText(messages.nameEmpty, 200, messages.nameTooLong),
  kind: z.enum(AGENCY_KINDS, { error: messages.kindMissing }),
});
export type AgencyInput = z.input<typeof agencySchema>;
