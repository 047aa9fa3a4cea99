/**
 * The county's grant for the current financial year: two pots, twelve proposals at every stage,
 * the working group's votes, the chair's and the funder's decisions, spend and outcomes. Made
 * through the services as the people concerned, so the rules and the audit trail apply. The
 * projects and their words are the demo's own.
 */
import type { Actor } from '../../core/actor.js';
import { nowIso, todayIso } from '../../db/database.js';
import { financialYearLabel, financialYearOf } from '../../domain/periods.js';
import type { Services } from '../../services.js';
import { FundingService } from '../funding/funding.service.js';

interface DemoProposal {
  title: string;
  by: 'policeLead' | 'kccLead' | 'fireLead';
  agency: 'police' | 'kcc' | 'fire';
  pot: 0 | 1;
  requested: string;
  summary: string;
  expectedOutcomes: string;
  audience: string;
  reach: string;
  priorities: number[];
  /** How far it goes. */
  to:
    | 'received'
    | 'voting'
    | 'shortlisted'
    | 'detail-requested'
    | 'submitted'
    | 'pending'
    | 'approved'
    | 'in-delivery'
    | 'delivered'
    | 'declined'
    | 'withdrawn';
  spend?: string[];
  outcome?: { sessions?: number; reach?: string; feedback?: string; narrative: string };
}

const PRIORITIES = [
  'Violence against women and girls',
  'Anti-social behaviour',
  'Safer streets',
  'Children and young people at risk of crime or anti-social behaviour',
  'Serious violence duty',
];

const PROPOSALS: DemoProposal[] = [
  {
    title: 'Evening safety walks with women in town centres',
    by: 'kccLead',
    agency: 'kcc',
    pot: 0,
    requested: '2,800',
    summary:
      'Walk town centres after dark with women who use them, note what makes them feel unsafe and pass the list to the councils and the police.',
    expectedOutcomes: 'A list of changes for each town centre, and a report back to the walkers.',
    audience: 'Women who use town centres at night',
    reach: 'Six walks of around 15 people',
    priorities: [0, 2],
    to: 'received',
  },
  {
    title: 'Boxing club outreach for young people at risk',
    by: 'policeLead',
    agency: 'police',
    pot: 1,
    requested: '3,600',
    summary:
      'Free weekly sessions at two boxing clubs for young people referred by schools and youth workers, with a mentor at each.',
    expectedOutcomes: 'Young people attend regularly and are not arrested during the programme.',
    audience: 'Young people aged 11 to 17',
    reach: 'Up to 30 young people',
    priorities: [3],
    to: 'voting',
  },
  {
    title: 'Restorative practice training for school staff',
    by: 'kccLead',
    agency: 'kcc',
    pot: 0,
    requested: '4,100',
    summary:
      'Two days of training for pastoral staff in restorative conversations after incidents between pupils.',
    expectedOutcomes: 'Fewer repeat incidents in the schools taking part.',
    audience: 'Pastoral and safeguarding staff in secondary schools',
    reach: 'Up to 40 staff',
    priorities: [3],
    to: 'shortlisted',
  },
  {
    title: 'Doorstep crime awareness for older residents',
    by: 'policeLead',
    agency: 'police',
    pot: 1,
    requested: '1,900',
    summary:
      'Talks at lunch clubs and sheltered housing on rogue traders and scam callers, with door stickers and call blockers.',
    expectedOutcomes: 'Residents know how to check a caller and whom to call.',
    audience: 'Older residents and their carers',
    reach: 'Twelve talks, about 300 people',
    priorities: [2],
    to: 'detail-requested',
  },
  {
    title: 'Night-time economy welfare volunteers',
    by: 'kccLead',
    agency: 'kcc',
    pot: 0,
    requested: '5,000',
    summary:
      'Train and equip volunteers who help people who are drunk, lost or vulnerable on Friday and Saturday nights.',
    expectedOutcomes: 'Fewer ambulance call-outs and fewer assaults in the streets covered.',
    audience: 'People out at night in three towns',
    reach: 'Around 40 nights of cover',
    priorities: [0, 2],
    to: 'submitted',
  },
  {
    title: 'Knife crime education theatre tour',
    by: 'policeLead',
    agency: 'police',
    pot: 0,
    requested: '6,500',
    summary:
      'A touring play and workshop for year 8 pupils on carrying knives, peer pressure and where to get help, jointly funded with the violence reduction unit.',
    expectedOutcomes: 'Pupils can say why carrying a knife raises their own risk.',
    audience: 'Year 8 pupils',
    reach: 'Twenty schools',
    priorities: [3, 4],
    to: 'pending',
  },
  {
    title: 'ASB case review training for housing officers',
    by: 'kccLead',
    agency: 'kcc',
    pot: 0,
    requested: '3,200',
    summary:
      'A day on the anti-social behaviour case review, the powers available and working with victims, for housing and council officers.',
    expectedOutcomes: 'Officers use the case review correctly and victims are kept informed.',
    audience: 'Housing and council officers',
    reach: 'Two sessions of 25',
    priorities: [1],
    to: 'approved',
  },
  {
    title: 'Domestic abuse awareness for hairdressers and barbers',
    by: 'policeLead',
    agency: 'police',
    pot: 0,
    requested: '4,850',
    summary:
      'Short training for salon staff on spotting signs of abuse and pointing clients to support, with cards to hand out.',
    expectedOutcomes: 'Salons in every district have someone trained.',
    audience: 'Hairdressers, barbers and beauty staff',
    reach: 'Up to 120 staff',
    priorities: [0],
    to: 'in-delivery',
    spend: ['2,100'],
  },
  {
    title: 'Online safety workshops for parents',
    by: 'kccLead',
    agency: 'kcc',
    pot: 0,
    requested: '2,400',
    summary:
      'Evening workshops in libraries on apps, gaming chat and grooming online, run with the schools’ safeguarding leads.',
    expectedOutcomes: 'Parents feel able to talk to their children about what they do online.',
    audience: 'Parents and carers',
    reach: 'Eight workshops',
    priorities: [3],
    to: 'delivered',
    spend: ['1,200', '1,110.50'],
    outcome: {
      sessions: 8,
      reach: 'Parents and carers: 164',
      feedback: '87% said they would change how they talk about being online',
      narrative:
        'All eight workshops ran. Two libraries asked for a repeat, which the schools will run themselves with the slides.',
    },
  },
  {
    title: 'Serious violence duty partner briefing',
    by: 'policeLead',
    agency: 'police',
    pot: 1,
    requested: '1,750',
    summary:
      'A half-day briefing for partners on the duty, the local strategic needs assessment and what each agency is asked to do.',
    expectedOutcomes: 'Every responsible authority knows its part in the strategy.',
    audience: 'Managers in the responsible authorities',
    reach: 'About 80 people',
    priorities: [4],
    to: 'delivered',
    spend: ['1,750'],
    outcome: {
      sessions: 1,
      reach: 'In person: 52\nOnline: 31',
      feedback: '9 in 10 rated it useful or very useful',
      narrative: 'The recording and slides went to every partner afterwards.',
    },
  },
  {
    title: 'Replacement CCTV cameras for a retail park',
    by: 'fireLead',
    agency: 'fire',
    pot: 1,
    requested: '7,800',
    summary: 'Replace four cameras covering the car parks of a retail park.',
    expectedOutcomes: 'Fewer vehicle crimes at the retail park.',
    audience: 'Shoppers and staff',
    reach: 'One site',
    priorities: [2],
    to: 'declined',
  },
  {
    title: 'Community garden on a housing estate',
    by: 'fireLead',
    agency: 'fire',
    pot: 1,
    requested: '2,200',
    summary:
      'Turn a patch of waste ground used for fly-tipping into a garden kept by residents and a youth group.',
    expectedOutcomes: 'Less fly-tipping and more residents taking part.',
    audience: 'Residents of one estate',
    reach: 'About 200 households',
    priorities: [1],
    to: 'withdrawn',
  },
];

const ORDER = [
  'received',
  'voting',
  'shortlisted',
  'detail-requested',
  'submitted',
  'pending',
  'approved',
  'in-delivery',
  'delivered',
] as const;
const reaches = (p: DemoProposal, stage: (typeof ORDER)[number]) =>
  ORDER.indexOf(p.to as (typeof ORDER)[number]) >= ORDER.indexOf(stage);

/** The people of the county who lead projects; only the coordinator has a sign-in. */
const LEADS = [
  {
    key: 'policeLead',
    name: 'Priya Raman',
    email: 'priya.raman@police.example.org',
    agency: 'police',
  },
  { key: 'kccLead', name: 'Tom Fairley', email: 'tom.fairley@kcc.example.org', agency: 'kcc' },
  {
    key: 'fireLead',
    name: 'Chris Bennett',
    email: 'chris.bennett@kfrs.example.org',
    agency: 'fire',
  },
] as const;

export async function addDemoFunding(
  services: Services,
  actor: Actor,
  ids: {
    countySlug: string;
    agencyIds: Record<'police' | 'kcc' | 'fire', number>;
    userIds: Map<string, number>;
    workingGroupId: number;
  },
): Promise<void> {
  const { members, auth } = services;
  const slug = ids.countySlug;
  const today = todayIso();
  const fy = financialYearOf(today).start;
  // A date of this financial year, never later than today.
  const on = (monthDay: string) => {
    const date = `${fy}-${monthDay}`;
    return date < today ? date : today;
  };
  // Each step happens on its day of the year so far, so votes, histories and budget moves read
  // in the order a working group would have lived them.
  let clock = nowIso();
  const at = (monthDay: string) => {
    const time = `${on(monthDay)}T09:30:00.000Z`;
    const now = nowIso();
    clock = time < now ? time : now;
  };
  const funding = new FundingService(services.db, services.partnerships, () => clock);

  const people: Record<string, Actor> = {};
  for (const lead of LEADS) {
    let userId = ids.userIds.get(lead.key);
    if (userId === undefined) {
      userId = (
        await members.createMemberAccount(actor, slug, {
          email: lead.email,
          name: lead.name,
          agencyId: ids.agencyIds[lead.agency],
          role: 'lead',
        })
      ).userId;
    } else {
      await members.addMember(actor, slug, { email: lead.email, role: 'lead' });
    }
    const a = await auth.actorFor(userId);
    if (!a) throw new Error(`the demo has no account for ${lead.key}`);
    people[lead.key] = a;
  }
  const coordinator = await auth.actorFor(ids.userIds.get('kentCoordinator') ?? 0);
  if (!coordinator) throw new Error('the demo has no county coordinator');

  at('05-14');
  const { id: fundId } = await funding.createFund(coordinator, slug, {
    source: 'Police and Crime Commissioner',
    name: 'Crime Reduction Grant',
    year: financialYearLabel({ start: fy }),
    amount: '40,810',
    status: 'confirmed',
    confirmedOn: on('05-14'),
    conditions:
      'Spend by 31 March; report outcomes at the end of the year; return what is not spent.',
    priorities: PRIORITIES.join('\n'),
    workingGroupId: String(ids.workingGroupId),
    voteThreshold: 'consensus',
  });
  await funding.splitPots(coordinator, slug, fundId, {
    mode: 'shares',
    remainderTo: 1,
    pots: [
      { name: 'Upfront projects', share: '2' },
      { name: 'Tactical pot', share: '1' },
    ],
  });
  const fund = await funding.fund(coordinator, slug, fundId);
  const priorityIds = fund.priorities.map((p) => String(p.id));
  const potIds = fund.pots.map((p) => String(p.id));
  // The working group's members who vote: the coordinator in person, police and county council.
  const voters = [coordinator, people.policeLead, people.kccLead].filter((a): a is Actor => !!a);

  for (const p of PROPOSALS) {
    const by = people[p.by] ?? coordinator;
    at('06-02');
    const { id } = await funding.proposals.submitProposal(by, slug, fundId, {
      title: p.title,
      leadAgencyId: String(ids.agencyIds[p.agency]),
      potId: potIds[p.pot],
      requested: p.requested,
      summary: p.summary,
      expectedOutcomes: p.expectedOutcomes,
      audience: p.audience,
      reach: p.reach,
      deliveryStart: on('09-01'),
      priorityIds: p.priorities.map((i) => priorityIds[i] ?? ''),
    });
    const move = (day: string, to: string, reason: string) => {
      at(day);
      return funding.proposals.moveStage(coordinator, slug, id, { to, reason });
    };
    if (p.to === 'withdrawn') {
      at('06-09');
      await funding.proposals.moveStage(by, slug, id, {
        to: 'withdrawn',
        reason: 'Funded by the housing association instead',
      });
      continue;
    }
    if (p.to === 'received') continue;
    // Voting still under way closes in a fortnight; the rest closed at the meeting.
    const fortnight = new Date(Date.parse(`${today}T12:00:00Z`) + 14 * 86_400_000);
    at('06-09');
    await funding.proposals.openVoting(coordinator, slug, id, {
      closesOn: p.to === 'voting' ? fortnight.toISOString().slice(0, 10) : on('06-16'),
    });
    const choices =
      p.to === 'declined' ? ['support', 'abstain', 'support'] : ['support', 'support', 'abstain'];
    for (const [i, v] of voters.entries()) {
      if (p.to === 'voting' && i === 2) break;
      await funding.proposals.vote(v, slug, id, { choice: choices[i] ?? 'support' });
    }
    if (p.to === 'voting') continue;
    at('06-16');
    await funding.proposals.closeVoting(coordinator, slug, id);
    await move('06-16', 'shortlisted', 'Consensus of support at the working group');
    if (!reaches(p, 'detail-requested') && p.to !== 'declined') continue;
    await move('06-16', 'detail-requested', 'Costs and numbers needed for the business case');
    if (!reaches(p, 'submitted') && p.to !== 'declined') continue;
    await move('07-07', 'submitted', 'In the business case to the chair and the Commissioner');
    const amount = p.requested;
    if (p.to === 'submitted') continue;
    at('07-14');
    await funding.proposals.decide(coordinator, slug, id, {
      decider: 'chair',
      decision: 'approve',
      amount,
      decidedOn: on('07-14'),
    });
    at('07-21');
    if (p.to === 'declined') {
      await funding.proposals.decide(coordinator, slug, id, {
        decider: 'funder',
        decision: 'decline',
        decidedOn: on('07-21'),
        note: 'Cameras are capital spending, which the grant does not cover',
      });
      continue;
    }
    if (p.to === 'pending') {
      await funding.proposals.decide(coordinator, slug, id, {
        decider: 'funder',
        decision: 'pending',
        decidedOn: on('07-21'),
        note: 'Waiting for the violence reduction unit to confirm its half',
      });
      continue;
    }
    await funding.proposals.decide(coordinator, slug, id, {
      decider: 'funder',
      decision: 'approve',
      amount,
      decidedOn: on('07-21'),
    });
    if (!reaches(p, 'in-delivery')) continue;
    await move('08-01', 'in-delivery', 'Dates booked');
    for (const [i, spent] of (p.spend ?? []).entries()) {
      const paidOn = i === 0 ? '09-15' : '10-20';
      at(paidOn);
      await funding.proposals.recordSpend(coordinator, slug, id, {
        paidOn: on(paidOn),
        amount: spent,
        note: i === 0 ? 'First invoice' : 'Final invoice',
      });
    }
    at('11-02');
    if (p.outcome) {
      await funding.proposals.recordOutcome(by, slug, id, {
        sessionsDelivered: p.outcome.sessions === undefined ? '' : String(p.outcome.sessions),
        reach: p.outcome.reach ?? '',
        feedback: p.outcome.feedback ?? '',
        narrative: p.outcome.narrative,
      });
    }
    if (p.to === 'delivered') await move('11-02', 'delivered', 'Delivered and feedback received');
  }
  at('07-25');
  await funding.vire(coordinator, slug, fundId, {
    fromPotId: potIds[1],
    toPotId: potIds[0],
    amount: '1,000',
    reason: 'The upfront pot is nearly committed; the tactical pot has room',
  });
}
