export interface CrimeMonthsTable {
  /** The force that published the month, as its records name it ("Kent Police"). */
  force: string;
  /** 'YYYY-MM' */
  month: string;
  import_id: number;
  /** Every record of the month, anti-social behaviour and unassigned ones included. */
  records: number;
  /** Anti-social behaviour records among them. */
  asb: number;
  no_location: number;
  unknown_lsoa: number;
  lsoa_vintage: string;
  /** Why the month looks incomplete against its neighbours; null when it does not. */
  flag: string | null;
}

export interface CrimeDistrictCountsTable {
  force: string;
  month: string;
  district_code: string;
  /** The police.uk crime type, 'Anti-social behaviour' included. */
  crime_type: string;
  count: number;
}

export interface CrimeWardCountsTable {
  force: string;
  month: string;
  ward_code: string;
  ward_vintage: string;
  district_code: string;
  /** Records of every police.uk type but anti-social behaviour, unknown types included. */
  crime: number;
  /** Anti-social behaviour records. */
  asb: number;
}

export interface RecordedCrimePfaTable {
  import_id: number;
  /** The last day of the 12 months, 'YYYY-MM-DD'. */
  period_end: string;
  pfa: string;
  region: string;
  offence: string;
  /** Offences in the 12 months ending period_end: never add one quarter's to another's. */
  rolling_total: number;
}

export interface RecordedCrimeCspTable {
  import_id: number;
  /** '2021/22' */
  financial_year: string;
  financial_quarter: number;
  force_name: string;
  csp_name: string;
  offence_description: string;
  offence_group: string;
  offence_subgroup: string;
  offence_code: string;
  /** Offences recorded in that quarter. */
  offences: number;
}
