import type { Status } from '../../domain/statuses.js';
import type { ThemeType } from '../plans/plans.schemas.js';

/**
 * The demo district's community safety plan for 2024/25 and two rounds of progress updates:
 * what a partnership's plan looks like part-way through its year, with some actions done, some
 * stuck and a few leads yet to answer the latest round. Written for the demo; the shape follows
 * the plans district partnerships adopt each April.
 */

/** An agency by the demo's own key, or a group by its name. */
export type DemoLead = { agency: DemoAgencyKey } | { group: string };
export type DemoAgencyKey =
  'swaleCouncil' | 'kcc' | 'police' | 'fire' | 'probation' | 'icb' | 'housing' | 'vcs';

/** The people who write updates: the coordinator, and leads for the actions their agency leads. */
export const DEMO_WRITERS = ['swaleCoordinator', 'swaleLead', 'fireLead'] as const;
export type DemoWriter = (typeof DEMO_WRITERS)[number];

export interface DemoUpdate {
  status: Status;
  narrative: string;
  /** When someone other than the action's usual writer answered. */
  by?: DemoWriter;
}

export interface DemoRound {
  key: 'september' | 'december';
  /** Reporting month, 'YYYY-MM'. */
  month: string;
  deadline: string;
}

export interface DemoAction {
  number: string;
  title: string;
  desiredOutcome: string;
  /** Milestone and its timescale, written as partners write them. */
  milestones: [string, string][];
  leads: DemoLead[];
  /** Who usually answers the update rounds for this action. */
  writer: DemoWriter;
  /** Missing for a round: nobody has answered it yet. */
  updates: Partial<Record<DemoRound['key'], DemoUpdate>>;
}

export interface DemoTheme {
  type: ThemeType;
  title: string;
  summary: string;
  priorityActions: string[];
  actions: DemoAction[];
}

const EXECUTIVE = { group: 'Swale CSP Executive Group' };
const DA_GROUP = { group: 'Domestic Abuse Group' };
const PANEL = { group: 'Vulnerability Panel' };
const TASKING = { group: 'Weekly Tasking Group' };
const ADOLESCENT = { group: 'Adolescent Contextual Safeguarding Meeting' };
const COUNCIL = { agency: 'swaleCouncil' } as const;
const KCC = { agency: 'kcc' } as const;
const POLICE = { agency: 'police' } as const;
const FIRE = { agency: 'fire' } as const;
const PROBATION = { agency: 'probation' } as const;
const ICB = { agency: 'icb' } as const;
const HOUSING = { agency: 'housing' } as const;
const VCS = { agency: 'vcs' } as const;

/** The September round is answered for every action; December has gaps, so it stays open. */
export const DEMO_ROUNDS: DemoRound[] = [
  { key: 'september', month: '2024-09', deadline: '2024-10-11' },
  { key: 'december', month: '2024-12', deadline: '2025-01-10' },
];

const paragraphs = (...p: string[]) => p.join('\n\n');

export const DEMO_PLAN = {
  title: 'Swale Community Safety Plan',
  period: '2024/25',
  introduction: paragraphs(
    'This plan says what Swale Community Safety Partnership will do in 2024/25 to make the borough safer, and how partners will know whether it is working.',
    'We write the plan afresh each year. It builds on our strategic assessment, which brings together crime and disorder figures from every partner with what residents have told us, and it takes account of new duties and of problems that have appeared since the last plan.',
  ),
  background: paragraphs(
    'The partnership exists under the Crime and Disorder Act 1998. Its responsible authorities – Swale Borough Council, Kent County Council, Kent Police, Kent Fire and Rescue Service, the Probation Service and NHS Kent and Medway Integrated Care Board – work together on crime, disorder, anti-social behaviour, drug and alcohol misuse and reoffending.',
    'Swale Coast Housing Association and the voluntary and community sector, through Swale Community Action Network, sit alongside them, and other organisations join the work where it needs them.',
  ),
  drivers: [
    'Serious Violence Duty: the new duty on named authorities has led to a Kent-wide Serious Violence Prevention Partnership. Swale has a seat on it and will contribute to the county needs assessment and the strategy built on it.',
    'Home Office review of partnerships: the 2023 review looked at how partnerships work with Police and Crime Commissioners and use anti-social behaviour powers. Some of its recommendations are ours to act on now; others wait for more evidence. The national anti-social behaviour action plan may be rolled out from April 2024 after pilots elsewhere, with no extra funding promised so far.',
    'Partner budgets: most partners must make savings as public funding tightens and costs rise. Staff time, services and grants for community safety are all likely to shrink, and the actions in this plan were chosen with that in mind.',
    'Police and Crime Commissioner election (May 2024): a new Police and Crime Plan could change what partnerships receive in later years. The grant for 2024/25 is expected to match last year’s.',
    'Safer Streets: money won from the Home Office in 2023, with the Commissioner, pays for more CCTV (fixed and rapid-deployment), better lighting in parks, street marshals, youth diversion, bystander training for night-time workers and radios for the business crime scheme in Sittingbourne and Sheerness town centres.',
    'Family Hubs and youth services: Kent County Council is moving to Family Hubs, closing some children’s centre sites, and has stopped funding the youth services it commissioned. The effect on young people in Swale could be large and is not yet known.',
    'Community wardens: from April 2024 the county council will employ fewer wardens; how many will cover Swale is still to be settled.',
    'Neighbourhood policing: the model Kent Police introduced in June 2023 adds ward officers, a proactive task force and a child-centred policing team. Filling every post is a priority for 2024.',
    'Cost of living: households and agencies are still stretched. The Household Support Fund is confirmed only to September 2024, and housing providers and voluntary groups report rising costs and a widening funding gap.',
    'Homelessness: the use of temporary accommodation in Swale has risen sharply since 2019, and the households involved often need several services at once.',
  ],
  delivery: paragraphs(
    'The plan is delivered in three ways: by the Executive Group, by its sub-groups and panels, and by the staff of the multi-agency Community Safety Unit.',
    [
      'Swale CSP Executive Group: discusses each priority in turn, hears strategic updates from every statutory partner, oversees the sub-groups, and watches performance and spending.',
      'Domestic Abuse Group: works out local answers to the issues it maps, supports the Kent and Medway domestic abuse strategy, passes on the learning from domestic homicide reviews, and coordinates training and publicity.',
      'Vulnerability Panel: meets monthly on adults at risk of crime or anti-social behaviour, self-neglect or disengaging from services, and looks for patterns across them.',
      'Adolescent Contextual Safeguarding Meeting: meets monthly on young people and places of concern, and leads the work to make those places safer.',
      'Weekly Tasking Group: meets weekly on victims and perpetrators of anti-social behaviour and the places causing most concern.',
      'Community Safety Unit: supports high-risk victims, enforces against anti-social behaviour, runs Community Triggers and the Keep Safe scheme, solves problems at particular places, provides crime prevention equipment and delivers agreed projects.',
    ].join('\n'),
    'Partners give staff time to each group as suits their agency. The Police and Crime Commissioner’s grant to the partnership pays for parts of the plan; where an action needs more, partners will look for other funding. Each priority has a lead from the Executive Group who drives its actions and answers for its progress.',
  ),
  performanceMonitoring:
    'The Executive Group checks progress every quarter through an exception report: the indicators for each priority, how many actions are complete, in progress, or not yet started or off track, and a commentary on anything stuck. Leads update their actions in each update round, and the full set of updates goes with the report.',
  risks: [
    [
      'Partner budgets and staffing',
      'Cuts in partner budgets reduce the staff and money available for the plan. The actions were chosen with this in mind, but longer-term prevention may suffer and agencies may drift back to working alone. The Executive Group reviews capacity at each quarterly meeting.',
    ],
    [
      'Loss of youth services',
      'The end of county-funded youth services and the move to Family Hubs may leave young people with less support and bring more youth-related crime and anti-social behaviour. The young people theme and its actions are the partnership’s answer.',
    ],
    [
      'Probation performance',
      'Probation in East Kent was rated inadequate at its last inspection. The partnership will work with probation leads on their improvement plan and watch for effects on reducing reoffending.',
    ],
    [
      'Change after the Commissioner election',
      'A new Police and Crime Plan could change the partnership’s grant from 2025/26. Spending for next year will be planned once the new plan is published.',
    ],
  ] as [string, string][],
};

export const DEMO_THEMES: DemoTheme[] = [
  {
    type: 'priority',
    title: 'Domestic abuse',
    summary: paragraphs(
      'Domestic abuse incidents recorded by Kent Police in Swale fell by 10.6% over the year. A change in how incidents are recorded explains much of the fall, which is seen across the country and is not thought to mean less abuse. Local support services still see many victims, with more complex needs and from a wider range of backgrounds.',
      'Partners asked for more training on specialist topics and clearer information on where to refer, because services and referral routes keep changing. Programmes for people who cause harm have grown, with a new county-commissioned service beside the existing one; partners now want the focus to turn to young people’s behaviour in relationships.',
      'Help for children affected by domestic abuse is patchy: some services have closed and others have long waiting lists. A map of what is available is needed before gaps can be filled.',
    ),
    priorityActions: [
      'Make sure professionals and residents know what help exists and how to reach it',
      'Offer partners training on specialist areas such as legal orders and cultural awareness',
      'Keep agencies up to date on programmes for people who cause harm',
      'Play our part in the Kent and Medway domestic abuse delivery plan',
    ],
    actions: [
      {
        number: '1.1',
        title: 'Promote domestic abuse services to professionals and residents',
        desiredOutcome:
          'Professionals know what support exists; residents know how to ask for help',
        milestones: [
          ['Run the county’s public awareness campaign in Swale', 'Ongoing'],
          ['Refresh the map of local services', 'Quarterly (April, July, October and January)'],
          ['Hold a “meet the services” morning for frontline staff', 'Autumn 24'],
        ],
        leads: [DA_GROUP],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Campaign posters and social media posts shared with every partner. Service map refreshed in July and sent to the group.',
          },
          december: {
            status: 'in-progress',
            narrative:
              'October refresh of the service map done. The “meet the services” morning on 14 November drew 62 frontline staff; feedback is being written up.',
          },
        },
      },
      {
        number: '1.2',
        title: 'Train partners on specialist areas of domestic abuse',
        desiredOutcome:
          'Professionals are more confident about links with extremism, legal orders and cultural factors',
        milestones: [
          ['Session on links between domestic abuse and radicalisation', 'By July 24'],
          ['Cultural competency training', 'Summer 24'],
          ['Briefing on legal orders and the services that help victims obtain them', 'May 24'],
        ],
        leads: [DA_GROUP, POLICE],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Legal orders briefing held in May and the radicalisation session in July (28 attended). Still looking for a cultural competency trainer.',
          },
          december: {
            status: 'off-track',
            narrative:
              'The cultural competency provider withdrew in October and no replacement is booked. Options go to the January group meeting.',
          },
        },
      },
      {
        number: '1.3',
        title: 'Keep agencies informed about programmes for people who cause harm',
        desiredOutcome: 'Agencies know which programmes exist and how to refer to them',
        milestones: [['Refresher briefing for the group and partner agencies', 'Sept 24']],
        leads: [DA_GROUP],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'complete',
            narrative:
              'Refresher given at the September meeting; slides and referral forms sent to every partner agency.',
          },
          december: { status: 'complete', narrative: 'Nothing further; action closed.' },
        },
      },
      {
        number: '1.4',
        title: 'Support the Kent and Medway domestic abuse delivery plan',
        desiredOutcome: 'Local action on the county’s domestic abuse priorities',
        milestones: [
          ['Attend the county meetings and carry out the actions agreed for Swale', 'Ongoing'],
          ['Keep the sanctuary scheme open to victims who want to stay at home', 'Ongoing'],
        ],
        leads: [DA_GROUP, COUNCIL],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Swale represented at both county meetings this year. Eleven sanctuary referrals since April, all fitted within four weeks.',
          },
        },
      },
    ],
  },
  {
    type: 'priority',
    title: 'Crime and serious violence',
    summary: paragraphs(
      'Recorded crime in Swale fell over the year, but the partnership will keep every crime type under review. The Safer Streets work in Sittingbourne and Sheerness is aimed at the higher levels of crime, anti-social behaviour and violence against women and girls in the two town centres.',
      'The Serious Violence Duty now applies to key partners and Swale sits on the county prevention partnership. Our long-standing work with the Violence Reduction Unit carries on, including the monthly review of youth violence at the Adolescent Contextual Safeguarding Meeting.',
      'Violence against women and girls is a national priority and one of Kent Police’s; we will deliver the local part of the Kent strategy.',
    ),
    priorityActions: [
      'Deliver the Kent serious violence strategy in Swale',
      'Watch local crime trends and respond quickly to any rise',
      'Finish the Safer Streets work in both town centres',
      'Keep up local work on violence against women and girls',
    ],
    actions: [
      {
        number: '2.1',
        title:
          'Take part in the county response to serious violence and agree what it means locally',
        desiredOutcome:
          'The partnership meets the Serious Violence Duty and serious violence falls',
        milestones: [
          ['Join the Kent Serious Violence Prevention Partnership', 'June 24'],
          ['Agree a Swale serious violence action plan', 'Oct 24'],
          ['Respond to local violence hotspots', 'As required'],
        ],
        leads: [EXECUTIVE],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Swale attends the prevention partnership. The county needs assessment has been shared with the Executive; our local plan will follow the county strategy.',
          },
          december: {
            status: 'on-hold',
            narrative: 'The local action plan waits for the county strategy, now due in February.',
          },
        },
      },
      {
        number: '2.2',
        title: 'Track local crime trends and act on any rise',
        desiredOutcome: 'Fewer burglaries, thefts and other acquisitive crimes',
        milestones: [
          [
            'Review youth crime and violence at the Adolescent Contextual Safeguarding Meeting',
            'Monthly',
          ],
          ['Put a problem-solving plan in place for any rise in a crime type', 'As required'],
        ],
        leads: [POLICE, ADOLESCENT],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Youth violence reviewed every month. A problem-solving plan is in place for bicycle thefts around Sittingbourne station.',
          },
        },
      },
      {
        number: '2.3',
        title: 'Act locally on violence against women and girls',
        desiredOutcome: 'Women and girls feel safer and fewer such offences take place',
        milestones: [
          ['Agree the local action plan for 2024/25', 'May 24'],
          ['Compare safety-mapping apps for the town centres', 'Summer 24'],
        ],
        leads: [POLICE, COUNCIL],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Local action plan agreed in June. Two safety-mapping apps are being compared with a group of residents.',
          },
          december: {
            status: 'in-progress',
            narrative:
              'Comparison finished. The cost of the preferred app goes to the January Executive.',
          },
        },
      },
      {
        number: '2.4',
        title: 'Finish the Safer Streets work in the two town centres',
        desiredOutcome:
          'Less anti-social behaviour and violence against women and girls in the town centres',
        milestones: [
          ['Install the new fixed and rapid-deployment CCTV cameras', 'Sept 24'],
          ['Bystander training for night-time workers and residents', 'Autumn 24'],
          ['Help Street Pastors return to Sittingbourne High Street', 'Summer 24'],
          ['Report spending and results to the Commissioner', 'By March 25'],
        ],
        leads: [COUNCIL],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Eight fixed cameras installed; the rapid-deployment cameras are in use in Sheerness. Street Pastors have recruited 12 volunteers.',
          },
          december: {
            status: 'complete',
            narrative:
              'Every Safer Streets measure delivered and the final report sent to the Commissioner’s office. Street Pastors have patrolled on Friday nights since October.',
          },
        },
      },
    ],
  },
  {
    type: 'priority',
    title: 'Anti-social behaviour',
    summary: paragraphs(
      'Anti-social behaviour reported to Kent Police rose by 3% over the year. It matters a great deal to residents and stays a priority for the police and the partnership.',
      'The Community Safety Unit supports the highest-risk and most vulnerable victims, acts against the people responsible, and provides equipment that helps victims feel safer and gather evidence. Nine Community Triggers were raised in 2023, three more than in 2022.',
      'The new neighbourhood policing model changes how anti-social behaviour is tackled on the ground, and partners need to keep talking through the year about what that means for joint work. The loss of youth services may add to youth-related anti-social behaviour.',
    ),
    priorityActions: [
      'Keep tackling anti-social behaviour together through the Community Safety Unit: help for the victims most at risk, action against those responsible',
      'Support the new neighbourhood policing model',
      'Run targeted operations and campaigns where local problems arise',
    ],
    actions: [
      {
        number: '3.1',
        title: 'Tackle anti-social behaviour together through the Community Safety Unit',
        desiredOutcome: 'Less anti-social behaviour and fewer repeat victims',
        milestones: [
          ['Support high-risk victims through the Weekly Tasking Group', 'Ongoing'],
          ['Provide equipment that helps victims feel safe and gather evidence', 'Ongoing'],
          ['Run the Keep Safe scheme', 'Ongoing'],
          ['Respond to high-harm locations', 'As required'],
        ],
        leads: [TASKING, COUNCIL],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              '34 high-risk victims supported since April. 19 shops and venues have joined the Keep Safe scheme.',
          },
          december: {
            status: 'in-progress',
            narrative:
              '52 high-risk victims supported so far this year. Two closure orders granted for premises in Sheerness.',
          },
        },
      },
      {
        number: '3.2',
        title: 'Help the new neighbourhood policing model bed in across Swale',
        desiredOutcome: 'Neighbourhood officers and partners work as one team in each ward',
        milestones: [['Review the model’s effect on joint working at the Executive', 'Quarterly']],
        leads: [POLICE],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'First review at the July Executive; ward contacts shared with all partners.',
          },
          december: {
            status: 'off-track',
            narrative:
              'Three in ten posts in the Swale neighbourhood team are still vacant, so the joint review has moved to March.',
          },
        },
      },
      {
        number: '3.3',
        title: 'Run targeted operations and seasonal campaigns',
        desiredOutcome: 'Less anti-social behaviour in the places targeted',
        milestones: [
          ['Water safety operation for personal watercraft at Queenborough', 'Summer 24'],
          ['Safer Leysdown summer operation', 'Summer 24'],
          ['Seasonal campaigns around bonfire night and Christmas', 'Ongoing'],
        ],
        leads: [POLICE, FIRE],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'The Queenborough operation ran all summer with the harbour master. Calls about Leysdown fell on last summer’s.',
          },
          december: {
            by: 'fireLead',
            status: 'in-progress',
            narrative:
              'Bonfire night campaign run jointly with the police; the Christmas campaign is under way.',
          },
        },
      },
    ],
  },
  {
    type: 'priority',
    title: 'Supporting vulnerable people',
    summary: paragraphs(
      'Supporting vulnerable people has been a priority for several years. Partners, the voluntary and community sector among them, continue to help residents hit hardest by the cost of living.',
      'The complex needs pilot, begun in 2022, gives entrenched drinkers with complex needs a dedicated worker who helps them into services. Kent County Council funds it to March 2025 and it is being copied in other districts.',
      'Partners believe modern slavery in Swale goes largely undetected. The outreach project on the Brotherhood Wood site, paid for from the Commissioner’s grant, has brought more of its residents into contact with services. Prevent training needs repeating as staff change.',
    ),
    priorityActions: [
      'Continue the complex needs project and find funding beyond March 2025',
      'Continue cost of living support for the residents who need it most',
      'Train more partners to spot modern slavery and radicalisation, and keep reaching residents of the Brotherhood Wood site',
      'Explore a Making Every Adult Matter approach in Swale',
    ],
    actions: [
      {
        number: '4.1',
        title: 'Continue the complex needs project',
        desiredOutcome: 'More people in the cohort engage with services',
        milestones: [
          ['Run the pilot to the end of its funding', 'March 25'],
          ['Find funding to extend the service', 'Sept 24'],
        ],
        leads: [COUNCIL, KCC],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Fourteen people on the caseload, nine engaging regularly. A bid for 2025/26 has gone to the Integrated Care Board.',
          },
          december: {
            status: 'on-hold',
            narrative: 'No decision yet on funding beyond March; expected in February.',
          },
        },
      },
      {
        number: '4.2',
        title: 'Train more partners to spot modern slavery and radicalisation',
        desiredOutcome: 'Frontline staff recognise the signs and know how to refer',
        milestones: [
          ['Multi-agency modern slavery training', 'Bi-annually'],
          ['Multi-agency Prevent training', 'Ongoing'],
          ['Community engagement events on the Brotherhood Wood site', 'Summer 24'],
        ],
        leads: [COUNCIL, PANEL],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Modern slavery training given to 40 staff from six agencies. Two events held on the Brotherhood Wood site in July.',
          },
          december: {
            status: 'complete',
            narrative: 'Prevent training delivered in November. Every milestone met.',
          },
        },
      },
      {
        number: '4.3',
        title: 'Continue cost of living support, linking it to community safety and young people',
        desiredOutcome:
          'Vulnerable residents, young people included, are less affected by rising costs',
        milestones: [
          ['Open information points in libraries and community centres', 'May 24'],
          ['Deliver the Household Support Fund to the end of its funding', 'September 24'],
          ['Respond to new issues as they arise', 'Ongoing'],
        ],
        leads: [COUNCIL, VCS],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Six information points open. The Household Support Fund was spent in full by the end of September.',
          },
          december: {
            status: 'in-progress',
            narrative:
              'The Household Support Fund has been extended to March 2025; the next round of payments is under way.',
          },
        },
      },
      {
        number: '4.4',
        title: 'Explore a Making Every Adult Matter approach in Swale',
        desiredOutcome: 'People facing several disadvantages at once get joined-up support',
        milestones: [
          ['Workshop to map services against the approach and find the gaps', 'July 24'],
          ['Work with the health and care partnership on adopting it', 'Ongoing'],
        ],
        leads: [COUNCIL, ICB],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'not-started',
            narrative: 'Workshop moved to October because key staff were on leave.',
          },
        },
      },
      {
        number: '4.5',
        title: 'Offer home fire safety visits to residents referred by the Vulnerability Panel',
        desiredOutcome: 'Fewer fires and fire injuries among vulnerable residents',
        milestones: [
          ['Agree a referral route from the panel', 'June 24'],
          ['Report the visits made', 'Quarterly (April, July, October and January)'],
        ],
        leads: [FIRE, PANEL],
        writer: 'fireLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Referral route agreed at the June panel. 23 visits made in the first half of the year.',
          },
          december: { status: 'in-progress', narrative: '41 visits made by the end of December.' },
        },
      },
    ],
  },
  {
    type: 'cross-cutting',
    title: 'Reducing reoffending',
    summary: paragraphs(
      'Reducing reoffending has long run through the partnership’s work. Many offenders have complex needs, and Integrated Offender Management continues to bring agencies together around the most prolific.',
      'Partners want more attention on routes into work for people leaving prison or on licence, and on the local effects of the early release scheme and the review of short sentences.',
    ),
    priorityActions: [
      'Support partners’ part in Integrated Offender Management for the most prolific offenders',
      'Develop routes into work for offenders with the partners who can offer them',
      'Watch the local effects of early release and the short sentence review',
    ],
    actions: [
      {
        number: '5.1',
        title: 'Keep partners engaged in Integrated Offender Management',
        desiredOutcome: 'The most prolific offenders offend less',
        milestones: [
          ['Partners attend Integrated Offender Management meetings', 'Ongoing'],
          ['Brief new partner staff on the scheme', 'As required'],
        ],
        leads: [PROBATION, POLICE],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Police and probation attend every meeting; the housing association now joins monthly.',
          },
          december: {
            status: 'in-progress',
            narrative:
              'Cohort of 22. Five people left the scheme after a sustained period without offending.',
          },
        },
      },
      {
        number: '5.2',
        title: 'Develop routes into work for offenders with local partners',
        desiredOutcome: 'More offenders in work, and less reoffending',
        milestones: [
          ['Link with the local employment and housing project', 'Ongoing'],
          ['Bid for skills funding for a work-readiness course', 'When funding is confirmed'],
        ],
        leads: [PROBATION, COUNCIL],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'not-started',
            narrative: 'Waiting for the outcome of the skills funding bid.',
          },
          december: {
            status: 'off-track',
            narrative:
              'The skills bid was turned down. Other sources of funding are being looked at.',
          },
        },
      },
      {
        number: '5.3',
        title: 'Monitor and respond to early release and the short sentence review',
        desiredOutcome: 'Local services cope with the effects of national changes',
        milestones: [
          ['Hold the reducing reoffending meeting', 'Quarterly'],
          ['Gather partner figures on releases into Swale and respond to issues', 'Ongoing'],
        ],
        leads: [PROBATION, HOUSING, POLICE],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Meeting held in August. Figures on early releases into Swale requested from probation.',
          },
        },
      },
    ],
  },
  {
    type: 'cross-cutting',
    title: 'Communication and training',
    summary: paragraphs(
      'Clear communication and sensible information sharing between agencies underpin everything the partnership does. Much of last year’s communication was about domestic abuse, including the 16 days of action campaign.',
      'The strategic assessment showed we must keep promoting existing services and referral routes, and encourage residents to report crime through 101 and online, because under-reporting remains a worry. Training needs are set out under each priority.',
    ),
    priorityActions: [
      'Send the partnership newsletter twice a year',
      'Train partners to respond to the growing number of welfare calls and refer well',
      'Promote the ways the public can report crime and concerns',
    ],
    actions: [
      {
        number: '6.1',
        title: 'Produce the partnership newsletter',
        desiredOutcome: 'Partners hear about new and existing services and see good practice',
        milestones: [
          ['Autumn newsletter', 'Sept 24'],
          ['Spring newsletter', 'March 25'],
        ],
        leads: [COUNCIL],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative: 'Autumn newsletter sent to 180 partner contacts.',
          },
          december: { status: 'in-progress', narrative: 'Spring edition being drafted.' },
        },
      },
      {
        number: '6.2',
        title: 'Train partners on welfare calls and referrals',
        desiredOutcome: 'Professionals deal with welfare concerns confidently',
        milestones: [
          ['Review the training already on offer', 'May 24'],
          ['Deliver the training', 'Sept 24'],
        ],
        leads: [COUNCIL, POLICE],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative: 'Existing courses reviewed; sessions booked for October.',
          },
          december: {
            status: 'complete',
            narrative: 'Three sessions delivered to 55 staff from seven agencies.',
          },
        },
      },
      {
        number: '6.3',
        title: 'Promote the ways to report crime and concerns',
        desiredOutcome: 'More residents report what they see, and under-reporting falls',
        milestones: [['Promote 101 and online reporting through partners’ channels', 'Ongoing']],
        leads: [POLICE],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative: '101 and online reporting promoted at 12 community events over the summer.',
          },
        },
      },
    ],
  },
  {
    type: 'cross-cutting',
    title: 'Young people',
    summary: paragraphs(
      'Young people are a cross-cutting theme again in 2024/25. The move to Family Hubs and the end of county funding for commissioned youth services are likely to leave gaps across the borough, with effects on community safety.',
      'Most youth-related work sits under the four priorities: early help for children affected by domestic abuse, monitoring youth violence, responding to youth-related anti-social behaviour and the effect of rising costs on young people. The actions below add to those.',
    ),
    priorityActions: [
      'Make sure community safety education reaches schools',
      'Develop early help for children and young people affected by domestic abuse',
      'Watch and respond to the effects of the youth service cuts',
      'Deliver safety sessions in primary and secondary schools',
    ],
    actions: [
      {
        number: '7.1',
        title: 'Make sure community safety education and support reach schools',
        desiredOutcome: 'Agencies know what is on offer to young people in schools',
        milestones: [
          ['Map the services running programmes in schools', 'June 24'],
          ['Executive discussion of next steps', 'Sept 24'],
        ],
        leads: [COUNCIL, EXECUTIVE],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'in-progress',
            narrative: 'Services mapped; the findings go to the October Executive.',
          },
          december: {
            status: 'complete',
            narrative:
              'The Executive agreed in October to fund a term of sessions in three secondary schools.',
          },
        },
      },
      {
        number: '7.2',
        title: 'Develop early help for children and young people affected by domestic abuse',
        desiredOutcome: 'More support for children and young people affected by domestic abuse',
        milestones: [
          ['Map the services for young people', 'June 24'],
          ['Executive discussion of gaps and options', 'Sept 24'],
        ],
        leads: [DA_GROUP, EXECUTIVE],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'not-started',
            narrative: 'Mapping not begun: the group’s chair changed over the summer.',
          },
          december: {
            status: 'in-progress',
            narrative: 'Mapping under way; nine services found so far.',
          },
        },
      },
      {
        number: '7.3',
        title: 'Monitor and respond to the effects of the youth service cuts',
        desiredOutcome: 'Young people in Swale still have places to go and things to do',
        milestones: [
          ['Partners meet to review the local effect and the gaps', 'Summer 24'],
          [
            'Commit part of the Commissioner’s grant to youth diversion',
            'Following the PCC election',
          ],
          ['Respond jointly to emerging issues', 'Ongoing'],
        ],
        leads: [EXECUTIVE, KCC],
        writer: 'swaleCoordinator',
        updates: {
          september: {
            status: 'on-hold',
            narrative: 'Waiting for the county council to say which youth services will remain.',
          },
          december: {
            status: 'in-progress',
            narrative:
              'Partners met in November and found the largest gaps in Sheerness and Faversham.',
          },
        },
      },
      {
        number: '7.4',
        title: 'Deliver community safety sessions in primary and secondary schools',
        desiredOutcome: 'Young people understand the risks they face and make safer choices',
        milestones: [
          ['Safety in Action days for Year 6 pupils', 'May 24'],
          ['Police roadshows in secondary schools', 'March 25'],
        ],
        leads: [POLICE, COUNCIL],
        writer: 'swaleLead',
        updates: {
          september: {
            status: 'in-progress',
            narrative:
              'Safety in Action reached 1,100 Year 6 pupils in May. Roadshows start in the spring term.',
          },
          december: {
            status: 'in-progress',
            narrative: 'Roadshow dates agreed with six secondary schools.',
          },
        },
      },
    ],
  },
];
