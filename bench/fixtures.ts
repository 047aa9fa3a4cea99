import { COMMAND_LINE } from '../src/core/actor.js';
import type { Services } from '../src/services.js';

export const PASSWORD = 'benchmark password for everyone';
export const COORDINATOR = 'casey.coordinator@bench.example.org';
export const COUNTY = { slug: 'bench-county', name: 'Bench County Community Safety Partnership' };

const DISTRICTS = ['Northfield', 'Eastbrook', 'Southmere', 'Westwood'];
const OTHERS = 6;

export async function benchAgency(s: Services): Promise<number> {
  const name = 'Bench Borough Council';
  const found = await s.agencies.findByName(name);
  return (found ?? (await s.agencies.create(COMMAND_LINE, { name, kind: 'council' }))).id;
}

export async function account(s: Services, email: string, name: string): Promise<number> {
  const agencyId = await benchAgency(s);
  return (
    await s.accounts.create(COMMAND_LINE, { email, name, agencyId, isAdmin: false }, PASSWORD)
  ).id;
}

/**
 * The coordinator of a county and three of its districts, a lead in a fourth; the county role
 * lets them read one more district. Other partnerships exist that are none of theirs.
 */
export async function ensureCoordinator(s: Services): Promise<void> {
  if (await s.accounts.findByEmail(COORDINATOR)) return;
  await account(s, COORDINATOR, 'Casey Coordinator');
  await s.partnerships.create(COMMAND_LINE, { ...COUNTY, type: 'county', areas: '' });
  await s.members.addMember(COMMAND_LINE, COUNTY.slug, {
    email: COORDINATOR,
    role: 'coordinator',
  });
  for (const [i, place] of DISTRICTS.entries()) {
    const slug = `bench-${place.toLowerCase()}`;
    await s.partnerships.create(COMMAND_LINE, {
      slug,
      name: `${place} Community Safety Partnership`,
      type: 'district',
      parent: COUNTY.slug,
      areas: '',
    });
    // The last district is read through the county role alone.
    if (i < 3) {
      const role = i === 2 ? 'lead' : 'coordinator';
      await s.members.addMember(COMMAND_LINE, slug, { email: COORDINATOR, role });
    }
  }
  for (let i = 1; i <= OTHERS; i++) {
    await s.partnerships.create(COMMAND_LINE, {
      slug: `bench-elsewhere-${i}`,
      name: `Elsewhere ${i} Community Safety Partnership`,
      type: 'unitary',
      areas: '',
    });
  }
}

export const COORDINATOR_SEES = [COUNTY.name, ...DISTRICTS.map((d) => `${d} Community Safety`)];
