import { randomInt } from 'node:crypto';
import { COMMAND_LINE, type Actor, type Role } from '../../core/actor.js';
import type { Services } from '../../services.js';
import { addDemoFunding } from './demo-funding.js';
import { addDemoIndicators, addSharedDemoIndicator } from './demo-indicators.js';
import { addDemoPriorities } from './demo-priorities.js';
import { addDemoPublicData } from './demo-public-data.js';
import type { AgencyKind } from '../agencies/agencies.schemas.js';
import type { GroupKind } from '../groups/groups.schemas.js';
import {
  DEMO_PLAN,
  DEMO_ROUNDS,
  DEMO_THEMES,
  DEMO_WRITERS,
  type DemoAgencyKey,
  type DemoLead,
  type DemoWriter,
} from './demo-plan.js';

/** The demo is made once; making it again would clash with itself. */
export class DemoAlreadyLoaded extends Error {}

export interface DemoSignIn {
  role: string;
  name: string;
  email: string;
  password: string;
}

export interface DemoResult {
  partnerships: { slug: string; name: string }[];
  signIns: DemoSignIn[];
}

const COUNTY = {
  slug: 'kent',
  name: 'Kent County Community Safety Partnership',
  type: 'county',
  // Kent's twelve districts (ONS local authority district codes, April 2023).
  areas: Array.from({ length: 12 }, (_, i) => `E07000${105 + i}`).join(','),
} as const;

const DISTRICT = {
  slug: 'swale',
  name: 'Swale Community Safety Partnership',
  type: 'district',
  parent: COUNTY.slug,
  areas: 'E07000113',
} as const;

/** A second district, with nothing but its share of the county's indicators. */
const SECOND_DISTRICT = {
  slug: 'maidstone',
  name: 'Maidstone Community Safety Partnership',
  type: 'district',
  parent: COUNTY.slug,
  areas: 'E07000110',
} as const;

const AGENCIES = {
  swaleCouncil: { name: 'Swale Borough Council', kind: 'council' },
  kcc: { name: 'Kent County Council', kind: 'council' },
  police: { name: 'Kent Police', kind: 'police' },
  fire: { name: 'Kent Fire and Rescue Service', kind: 'fire' },
  probation: { name: 'Probation Service Kent', kind: 'probation' },
  icb: { name: 'NHS Kent and Medway ICB', kind: 'health' },
  housing: { name: 'Swale Coast Housing Association', kind: 'housing' },
  vcs: { name: 'Swale Community Action Network', kind: 'vcs' },
} satisfies Record<DemoAgencyKey, { name: string; kind: AgencyKind }>;
type AgencyKey = keyof typeof AGENCIES;

interface Person {
  key: string;
  /** Shown with the printed sign-in; people without one get no password at all. */
  signIn?: string;
  name: string;
  email: string;
  agency: AgencyKey;
  isAdmin?: boolean;
  member?: { slug: string; role: Role };
}

const PEOPLE: Person[] = [
  {
    key: 'admin',
    signIn: 'System administrator',
    name: 'Sam Patel',
    email: 'admin@saferplan.example.org',
    agency: 'kcc',
    isAdmin: true,
  },
  {
    key: 'swaleCoordinator',
    signIn: 'Swale coordinator',
    name: 'Jo Turner',
    email: 'coordinator@swale.example.org',
    agency: 'swaleCouncil',
    member: { slug: DISTRICT.slug, role: 'coordinator' },
  },
  {
    key: 'swaleLead',
    signIn: 'Swale lead (Kent Police)',
    name: 'Dan Hughes',
    email: 'lead@swale.example.org',
    agency: 'police',
    member: { slug: DISTRICT.slug, role: 'lead' },
  },
  {
    key: 'swaleViewer',
    signIn: 'Swale viewer',
    name: 'Amira Khan',
    email: 'viewer@swale.example.org',
    agency: 'housing',
    member: { slug: DISTRICT.slug, role: 'viewer' },
  },
  {
    key: 'kentCoordinator',
    signIn: 'Kent county coordinator',
    name: 'Ruth Ellis',
    email: 'coordinator@kent.example.org',
    agency: 'kcc',
    member: { slug: COUNTY.slug, role: 'coordinator' },
  },
  {
    key: 'fireLead',
    name: 'Chris Bennett',
    email: 'chris.bennett@kfrs.example.org',
    agency: 'fire',
    member: { slug: DISTRICT.slug, role: 'lead' },
  },
  {
    key: 'probationViewer',
    name: 'Nadia Osei',
    email: 'nadia.osei@probation.example.org',
    agency: 'probation',
    member: { slug: DISTRICT.slug, role: 'viewer' },
  },
];

const PARTNER_AGENCIES: Record<string, AgencyKey[]> = {
  [COUNTY.slug]: ['kcc', 'police', 'fire', 'probation', 'icb', 'swaleCouncil'],
  [DISTRICT.slug]: ['swaleCouncil', 'kcc', 'police', 'fire', 'probation', 'icb', 'housing', 'vcs'],
};

interface DemoGroup {
  slug: string;
  name: string;
  kind: GroupKind;
  meetingFrequency: string;
  keyFunctions: string[];
  agencies: AgencyKey[];
  people: string[];
}

const GROUPS: DemoGroup[] = [
  {
    slug: COUNTY.slug,
    name: 'Kent CSP Executive Group',
    kind: 'executive',
    meetingFrequency: 'Quarterly',
    keyFunctions: [
      'Agree the Community Safety Agreement and its county-wide priorities',
      'Hear from each district partnership how its plan is going and where it is stuck',
      'Commission domestic homicide reviews and make sure their lessons are acted on',
    ],
    agencies: ['kcc', 'police', 'fire', 'probation', 'icb', 'swaleCouncil'],
    people: ['kentCoordinator'],
  },
  {
    slug: COUNTY.slug,
    name: 'Community Safety Agreement Working Group',
    kind: 'sub-group',
    meetingFrequency: 'Quarterly',
    keyFunctions: [
      'Keep the agreement’s action plan up to date with each lead agency',
      'Track the proxy indicators and report their direction of travel',
      'Run the yearly round of bids for the crime reduction grant',
    ],
    agencies: ['kcc', 'police'],
    people: ['kentCoordinator'],
  },
  {
    slug: DISTRICT.slug,
    name: 'Swale CSP Executive Group',
    kind: 'executive',
    meetingFrequency: 'Quarterly',
    keyFunctions: [
      'Set the partnership’s priorities each year from the strategic assessment',
      'Adopt the community safety plan and keep it under review',
      'Read the quarterly exception report and decide what to do about actions that are off track',
      'Decide how grant funding is spent and check what it achieved',
      'Hold each responsible authority to its part in the plan',
    ],
    agencies: ['swaleCouncil', 'kcc', 'police', 'fire', 'probation', 'icb'],
    people: ['swaleCoordinator', 'swaleLead'],
  },
  {
    slug: DISTRICT.slug,
    name: 'Domestic Abuse Group',
    kind: 'sub-group',
    meetingFrequency: 'Every two months',
    keyFunctions: [
      'Lead the partnership’s work on domestic abuse and violence against women and girls',
      'Check that victims can reach support quickly and that referral routes work',
      'Plan awareness campaigns and training for frontline staff',
      'Make sure the learning from domestic homicide reviews reaches local services',
    ],
    agencies: ['swaleCouncil', 'police', 'housing', 'icb', 'vcs'],
    people: ['swaleLead'],
  },
  {
    slug: DISTRICT.slug,
    name: 'Vulnerability Panel',
    kind: 'panel',
    meetingFrequency: 'Monthly',
    keyFunctions: [
      'Discuss people and households at high risk of harm who need a joined-up response',
      'Agree the actions for each case and which agency leads each one',
      'Keep cases open until the risk has come down',
    ],
    agencies: ['swaleCouncil', 'police', 'fire', 'housing', 'icb', 'vcs'],
    people: ['swaleViewer', 'fireLead'],
  },
  {
    slug: DISTRICT.slug,
    name: 'Weekly Tasking Group',
    kind: 'other',
    meetingFrequency: 'Weekly',
    keyFunctions: [
      'Look at the past week’s anti-social behaviour and crime hotspots',
      'Agree where patrols, enforcement and outreach go in the week ahead',
      'Follow up the actions from the last meeting',
    ],
    agencies: ['swaleCouncil', 'police', 'fire', 'housing'],
    people: ['swaleLead', 'fireLead'],
  },
  {
    slug: DISTRICT.slug,
    name: 'Adolescent Contextual Safeguarding Meeting',
    kind: 'panel',
    meetingFrequency: 'Monthly',
    keyFunctions: [
      'Look at the places and peer groups where young people are at risk of exploitation or violence',
      'Share what each agency knows about those places',
      'Agree plans to make them safer and review them the next month',
    ],
    agencies: ['swaleCouncil', 'kcc', 'police', 'icb', 'vcs'],
    people: ['swaleCoordinator', 'probationViewer'],
  },
];

export const DEMO_SLUGS = [COUNTY.slug, DISTRICT.slug, SECOND_DISTRICT.slug] as const;
/** The account to suggest for a first look: the district's coordinator sees the most. */
export const DEMO_COORDINATOR_EMAIL = 'coordinator@swale.example.org';

// No 0/o, 1/l/i: the passwords are read off a terminal and typed in.
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** About 79 bits, in four groups of four so it can be typed. */
export function demoPassword(): string {
  const group = () =>
    Array.from({ length: 4 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join(
      '',
    );
  return [group(), group(), group(), group()].join('-');
}

/** Whether any of the demo's partnerships is already in the database. */
export async function demoLoaded(services: Services): Promise<boolean> {
  const row = await services.db
    .selectFrom('partnerships')
    .select('id')
    .where('slug', 'in', [...DEMO_SLUGS])
    .executeTakeFirst();
  return row !== undefined;
}

async function refuseIfPresent(services: Services): Promise<void> {
  const partnerships = await services.db
    .selectFrom('partnerships')
    .select('slug')
    .where('slug', 'in', [...DEMO_SLUGS])
    .execute();
  if (partnerships.length) {
    const slugs = partnerships.map((p) => p.slug);
    const what =
      slugs.length > 1 ? `partnerships ${slugs.join(' and ')}` : `partnership ${slugs.join('')}`;
    throw new DemoAlreadyLoaded(
      `the demo is already loaded (the database has the ${what}); nothing was changed`,
    );
  }
  const users = await services.db
    .selectFrom('users')
    .select('email')
    .where(
      'email',
      'in',
      PEOPLE.map((p) => p.email),
    )
    .execute();
  if (users.length) {
    throw new DemoAlreadyLoaded(
      `the database already has an account for ${users.map((u) => u.email).join(', ')}; nothing was changed`,
    );
  }
}

const DEMO_ACTIONS = DEMO_THEMES.flatMap((t) => t.actions);

/** The value the action form sends for a lead body. */
function leadValue(
  lead: DemoLead,
  ids: { agencyIds: Record<AgencyKey, number>; groupIds: Map<string, number> },
): string {
  if ('agency' in lead) return `agency:${ids.agencyIds[lead.agency]}`;
  const id = ids.groupIds.get(lead.group);
  if (id === undefined) throw new Error(`the demo has no group called ${lead.group}`);
  return `group:${id}`;
}

/**
 * The district's adopted plan for 2024/25, then two update rounds answered by the people who
 * lead each action (signed in as themselves, so their rights are checked as on the pages).
 */
async function addDistrictPlan(
  services: Services,
  actor: Actor,
  ids: {
    agencyIds: Record<AgencyKey, number>;
    groupIds: Map<string, number>;
    userIds: Map<string, number>;
  },
): Promise<void> {
  const { plans, themes, actions, rounds, updates, auth } = services;
  const slug = DISTRICT.slug;
  const plan = await plans.create(actor, slug, {
    title: DEMO_PLAN.title,
    period: DEMO_PLAN.period,
  });
  await plans.updateSections(actor, slug, plan.id, {
    introduction: DEMO_PLAN.introduction,
    background: DEMO_PLAN.background,
    delivery: DEMO_PLAN.delivery,
    performanceMonitoring: DEMO_PLAN.performanceMonitoring,
  });
  await plans.updateDrivers(actor, slug, plan.id, { drivers: DEMO_PLAN.drivers.join('\n') });
  await plans.updateRisks(
    actor,
    slug,
    plan.id,
    Object.fromEntries(
      DEMO_PLAN.risks.flatMap(([risk, description], i) => [
        [`risk${i + 1}`, risk],
        [`description${i + 1}`, description],
      ]),
    ),
  );

  const actionIds = new Map<string, number>();
  for (const theme of DEMO_THEMES) {
    const { id: themeId } = await themes.add(actor, slug, plan.id, {
      type: theme.type,
      title: theme.title,
      summary: theme.summary,
      priorityActions: theme.priorityActions.join('\n'),
    });
    for (const a of theme.actions) {
      const milestones = Object.fromEntries(
        a.milestones.flatMap(([text, timescale], i) => [
          [`milestone${i + 1}`, text],
          [`timescale${i + 1}`, timescale],
        ]),
      );
      const { id } = await actions.add(actor, slug, plan.id, {
        themeId: String(themeId),
        number: a.number,
        title: a.title,
        desiredOutcome: a.desiredOutcome,
        leads: a.leads.map((l) => leadValue(l, ids)),
        ...milestones,
      });
      actionIds.set(a.number, id);
    }
  }
  await plans.updateDetails(actor, slug, plan.id, { title: DEMO_PLAN.title, status: 'adopted' });

  // Each writer acts as themselves, so a lead who does not lead the action would be refused.
  const writers = {} as Record<DemoWriter, Actor>;
  for (const key of DEMO_WRITERS) {
    const writer = await auth.actorFor(ids.userIds.get(key) ?? 0);
    if (!writer) throw new Error(`the demo has no account for ${key}`);
    writers[key] = writer;
  }
  for (const round of DEMO_ROUNDS) {
    await rounds.open(actor, slug, plan.id, { month: round.month, deadline: round.deadline });
    // One action's updates do not touch another's: posted together, the demo loads sooner.
    await Promise.all(
      DEMO_ACTIONS.flatMap((a) => {
        const update = a.updates[round.key];
        if (!update) return [];
        return updates.post(
          writers[update.by ?? a.writer],
          slug,
          plan.id,
          actionIds.get(a.number) ?? 0,
          { month: round.month, status: update.status, narrative: update.narrative },
        );
      }),
    );
  }
  await addDemoIndicators(services, actor, slug, plan.id);
}

/**
 * A county partnership, a district under it, their agencies, groups and a person for each role,
 * and a second district keeping an indicator the first keeps too, made through the services so
 * the audit trail shows how it came about.
 */
export async function loadDemo(
  services: Services,
  actor: Actor = COMMAND_LINE,
): Promise<DemoResult> {
  await refuseIfPresent(services);
  const { agencies, partnerships, members, groups, accounts } = services;

  const agencyIds = {} as Record<AgencyKey, number>;
  for (const [key, input] of Object.entries(AGENCIES) as [
    AgencyKey,
    (typeof AGENCIES)[AgencyKey],
  ][]) {
    // Agencies are shared; one already added by hand is used as it is.
    const existing = await agencies.findByName(input.name);
    agencyIds[key] = (existing ?? (await agencies.create(actor, input))).id;
  }

  await addDemoPublicData(services, actor);
  await partnerships.create(actor, COUNTY);
  await partnerships.create(actor, DISTRICT);
  await partnerships.create(actor, SECOND_DISTRICT);
  for (const [slug, keys] of Object.entries(PARTNER_AGENCIES)) {
    for (const key of keys)
      await partnerships.addPartnerAgency(actor, slug, { agencyId: agencyIds[key] });
  }

  const userIds = new Map<string, number>();
  const signIns: DemoSignIn[] = [];
  for (const person of PEOPLE) {
    const password = person.signIn ? demoPassword() : undefined;
    const account = {
      email: person.email,
      name: person.name,
      agencyId: agencyIds[person.agency],
      isAdmin: person.isAdmin ?? false,
    };
    const id = person.member
      ? (
          await members.createMemberAccount(
            actor,
            person.member.slug,
            { ...account, role: person.member.role },
            password,
          )
        ).userId
      : (await accounts.create(actor, account, password)).id;
    userIds.set(person.key, id);
    if (person.signIn && password) {
      signIns.push({ role: person.signIn, name: person.name, email: person.email, password });
    }
  }

  const groupIds = new Map<string, number>();
  let workingGroupId = 0;
  for (const g of GROUPS) {
    const group = await groups.create(actor, g.slug, {
      name: g.name,
      kind: g.kind,
      meetingFrequency: g.meetingFrequency,
      keyFunctions: g.keyFunctions.join('\n'),
    });
    if (g.slug === DISTRICT.slug) groupIds.set(g.name, group.id);
    if (g.slug === COUNTY.slug && g.kind === 'sub-group') workingGroupId = group.id;
    for (const key of g.agencies) {
      await groups.addMember(actor, g.slug, group.id, { agencyId: agencyIds[key] });
    }
    for (const key of g.people) {
      await groups.addMember(actor, g.slug, group.id, { userId: userIds.get(key) });
    }
  }

  await addDistrictPlan(services, actor, { agencyIds, groupIds, userIds });
  await addSharedDemoIndicator(services, actor, SECOND_DISTRICT.slug);
  await addDemoPriorities(services, actor, DISTRICT.slug, userIds);
  await addDemoFunding(services, actor, {
    countySlug: COUNTY.slug,
    agencyIds,
    userIds,
    workingGroupId,
  });

  return {
    partnerships: [
      { slug: COUNTY.slug, name: COUNTY.name },
      { slug: DISTRICT.slug, name: DISTRICT.name },
      { slug: SECOND_DISTRICT.slug, name: SECOND_DISTRICT.name },
    ],
    signIns,
  };
}
