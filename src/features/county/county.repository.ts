import type { DbOrTrx } from '../../db/database.js';
import type { Polarity } from '../../domain/change.js';
import type { Unit } from '../../domain/figures.js';

export interface District {
  id: number;
  slug: string;
  name: string;
}

/** One district's indicator, as the county view compares it. */
export interface DistrictIndicator {
  id: number;
  districtId: number;
  name: string;
  unit: Unit;
  noun: string;
  polarity: Polarity;
}

/** The partnerships under the county, by name. */
export async function districtsOf(db: DbOrTrx, countyId: number): Promise<District[]> {
  return db
    .selectFrom('partnerships')
    .select(['id', 'slug', 'name'])
    .where('parent_id', '=', countyId)
    .orderBy('name')
    .execute();
}

/** Every indicator of the districts, by id. */
export async function indicatorsOf(
  db: DbOrTrx,
  districtIds: number[],
): Promise<DistrictIndicator[]> {
  if (districtIds.length === 0) return [];
  const rows = await db
    .selectFrom('indicators')
    .select(['id', 'partnership_id', 'name', 'unit', 'noun', 'polarity'])
    .where('partnership_id', 'in', districtIds)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    districtId: r.partnership_id,
    name: r.name,
    unit: r.unit as Unit,
    noun: r.noun,
    polarity: r.polarity as Polarity,
  }));
}
