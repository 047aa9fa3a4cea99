import { loadDemo } from '../../../src/features/demo/demo.service.js';
import type { Services } from '../../../src/services.js';
import { user } from '../../helpers/factories.js';

export const COUNTY = { slug: 'kent', name: 'Kent County Community Safety Partnership' } as const;
export const DISTRICT = { slug: 'swale', name: 'Swale Community Safety Partnership' } as const;

/** Who the journeys sign in as (the demo's printed sign-ins), and what each home page shows. */
export interface Person {
  email: string;
  password: string;
  /** The partnership they belong to and their role there, as the home page lists it. */
  memberOf?: { name: string; role: string };
  /** Partnerships they read without being a member. */
  reads: string[];
  isAdmin: boolean;
}

const person = (email: string, rest: Omit<Person, 'email' | 'password'>): Person => ({
  email,
  password: '',
  ...rest,
});

export const PEOPLE = {
  coordinator: person('coordinator@swale.example.org', {
    memberOf: { name: DISTRICT.name, role: 'Coordinator' },
    reads: [],
    isAdmin: false,
  }),
  lead: person('lead@swale.example.org', {
    memberOf: { name: DISTRICT.name, role: 'Lead' },
    reads: [],
    isAdmin: false,
  }),
  viewer: person('viewer@swale.example.org', {
    memberOf: { name: DISTRICT.name, role: 'Viewer' },
    reads: [],
    isAdmin: false,
  }),
  countyCoordinator: person('coordinator@kent.example.org', {
    memberOf: { name: COUNTY.name, role: 'Coordinator' },
    reads: [DISTRICT.name],
    isAdmin: false,
  }),
  admin: person('admin@saferplan.example.org', {
    reads: [COUNTY.name, DISTRICT.name],
    isAdmin: true,
  }),
};

export type PersonKey = keyof typeof PEOPLE;

/** A partner agency of the district, and one of its people, as the group form lists them. */
export const DISTRICT_AGENCY = 'Kent Police';
export const DISTRICT_PERSON = 'Dan Hughes';

/** The lead's agency: they may update the actions it leads. */
export const LEAD_AGENCY = 'Kent Police';
/** The coordinator's agency: the lead may not update the actions it leads alone. */
export const COORDINATOR_AGENCY = 'Swale Borough Council';

/** Someone with an account but in no partnership yet: the members journey adds them. */
export const NEWCOMER = { email: 'priya.shah@example.org', name: 'Priya Shah' };

/** The demo, as a new user first sees it, plus the newcomer. Fills in the demo's passwords. */
export async function loadPeople(s: Services): Promise<void> {
  const { signIns } = await loadDemo(s);
  for (const p of Object.values(PEOPLE)) {
    const signIn = signIns.find((d) => d.email === p.email);
    if (!signIn) throw new Error(`the demo no longer prints a sign-in for ${p.email}`);
    p.password = signIn.password;
  }
  await user(s, NEWCOMER);
}
