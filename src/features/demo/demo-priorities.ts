import type { Actor } from '../../core/actor.js';
import type { Services } from '../../services.js';
import { scoreField } from '../priorities/priorities.schemas.js';

/** Candidate issues for Swale's 2025/26 plan, each with the evidence behind it, in our words. */
const CANDIDATES = [
  {
    title: 'Domestic abuse',
    evidence:
      'Reported incidents rose again this year and repeat victims make up a large share; more reports may also mean more confidence to come forward.',
  },
  {
    title: 'Serious violence and knife crime',
    evidence:
      'Fewer incidents than in the larger Kent towns, but each one does great harm and the duty to tackle serious violence falls on every partner.',
  },
  {
    title: 'Anti-social behaviour',
    evidence:
      'The issue residents raise most at ward panels, concentrated in the town centres and on the Isle of Sheppey in summer.',
  },
  {
    title: 'Shoplifting and town centre theft',
    evidence:
      'Recorded shoplifting has climbed steadily for three years, with traders reporting much that never reaches the police.',
  },
  {
    title: 'Exploitation of young people',
    evidence:
      'County lines activity and contextual safeguarding referrals point to young people drawn into drug supply.',
  },
  {
    title: 'Road safety',
    evidence:
      'Killed and seriously injured casualties are steady; speeding on rural roads is a frequent complaint.',
  },
];

/**
 * Three partners' scores, a row a candidate in the order above, a column a criterion in the
 * default order: harm, volume, trend, public concern, vulnerability, partnership capacity.
 */
const SCORES: Record<string, number[][]> = {
  swaleCoordinator: [
    [5, 4, 4, 4, 5, 4],
    [5, 2, 3, 4, 4, 3],
    [3, 5, 3, 5, 3, 4],
    [2, 4, 5, 3, 2, 3],
    [5, 2, 4, 3, 5, 3],
    [3, 2, 2, 3, 2, 2],
  ],
  swaleLead: [
    [5, 5, 4, 3, 5, 4],
    [5, 2, 3, 4, 4, 4],
    [2, 5, 3, 5, 2, 3],
    [2, 5, 5, 3, 1, 4],
    [5, 2, 4, 2, 5, 3],
    [3, 2, 2, 2, 2, 2],
  ],
  fireLead: [
    [4, 4, 3, 3, 5, 3],
    [4, 2, 2, 3, 4, 3],
    [3, 4, 3, 4, 3, 4],
    [2, 3, 4, 2, 2, 2],
    [4, 2, 3, 3, 5, 3],
    [4, 3, 2, 3, 3, 4],
  ],
};

/** Harm and vulnerability count for more; the criteria keep their default names. */
const WEIGHTS = [3, 1, 1, 1, 2, 1];

/** Swale's priority setting for its 2025/26 plan, scored by three partners and still open. */
export async function addDemoPriorities(
  services: Services,
  actor: Actor,
  slug: string,
  userIds: Map<string, number>,
): Promise<void> {
  const { priorities, auth } = services;
  const { id } = await priorities.create(actor, slug, { year: '2025/26' });
  await priorities.saveCandidates(actor, slug, id, { candidates: CANDIDATES });
  const exercise = await priorities.get(actor, slug, id);
  await priorities.saveCriteria(actor, slug, id, {
    criteria: exercise.criteria.map((k, i) => ({
      id: k.id,
      name: k.name,
      weight: WEIGHTS[i] ?? 1,
    })),
  });
  for (const [key, table] of Object.entries(SCORES)) {
    const scorer = await auth.actorFor(userIds.get(key) ?? 0);
    if (!scorer) throw new Error(`no demo account for ${key}`);
    const form: Record<string, string> = {};
    exercise.candidates.forEach((c, i) => {
      exercise.criteria.forEach((k, j) => {
        form[scoreField(c.id, k.id)] = String(table[i]?.[j] ?? '');
      });
    });
    await priorities.saveScores(scorer, slug, id, form);
  }
}
