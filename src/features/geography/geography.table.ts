import type { Generated } from 'kysely';

export interface DataImportsTable {
  id: Generated<number>;
  /** geography | population | crime | recorded-crime */
  kind: string;
  /** running | complete | failed */
  status: string;
  title: Generated<string>;
  release: Generated<string>;
  /** JSON array of the file names read. */
  filenames: string;
  /** JSON: what the import found (counts, months, flagged months, problems). */
  summary: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  by_label: string;
  /** While running: when the import last showed it was alive. */
  alive_at: string | null;
  /** While running: JSON, how far it has got (stage, files read, records), as last shown. */
  progress: string | null;
}

export interface GeoAreasTable {
  code: string;
  /** The year of the boundaries, like '2011' or '2023'. */
  vintage: string;
  /** lsoa | ward | district | csp | pfa | county | region */
  type: string;
  name: string;
}

export interface GeoLsoaWardsTable {
  lsoa_code: string;
  lsoa_vintage: string;
  ward_code: string;
  ward_vintage: string;
  district_code: string;
}

export interface GeoDistrictLinksTable {
  district_code: string;
  vintage: string;
  /** csp | pfa | county | region */
  parent_type: string;
  parent_code: string;
}

export interface PopulationEstimatesTable {
  import_id: number;
  area_code: string;
  /** The year of the mid-year (30 June) estimate. */
  year: number;
  population: number;
}
