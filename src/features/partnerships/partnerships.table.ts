import type { Generated, Selectable } from 'kysely';

export interface PartnershipsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  type: string;
  parent_id: number | null;
  created_at: string;
  updated_at: string;
}
export type PartnershipRow = Selectable<PartnershipsTable>;

export interface PartnershipAreasTable {
  partnership_id: number;
  gss_code: string;
}

export interface PartnershipAgenciesTable {
  partnership_id: number;
  agency_id: number;
  created_at: string;
}

export interface MembershipsTable {
  id: Generated<number>;
  partnership_id: number;
  user_id: number;
  role: string;
  created_at: string;
  updated_at: string;
}
