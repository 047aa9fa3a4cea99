import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Public reference data shared by every partnership: ONS geography and population, and the
// aggregates of police.uk street-level crime. Record-level crime never reaches this database;
// it is read and counted elsewhere and only the counts the pages show are kept here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per file imported, so every figure can name where it came from.
  await withId(db, db.schema.createTable('data_imports'))
    // geography | population | crime | recorded-crime
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // What the file is, as people name it ("LSOA (2021) to ward (2023) to district (2023)").
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('release', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('filenames', 'text', (c) => c.notNull())
    // JSON: counts, months, flagged months, problems.
    .addColumn('summary', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('by_label', 'text', (c) => c.notNull())
    .addCheckConstraint('data_imports_status', sql`status in ('running', 'complete', 'failed')`)
    .execute();

  // Every named area of every vintage: LSOAs, wards, districts, CSPs, force areas, counties.
  // A ward set is named by its vintage (the year of its boundaries, like '2023').
  await db.schema
    .createTable('geo_areas')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('vintage', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('geo_areas_pk', ['code', 'vintage'])
    .addCheckConstraint(
      'geo_areas_type',
      sql`type in ('lsoa', 'ward', 'district', 'csp', 'pfa', 'county', 'region')`,
    )
    .execute();
  await db.schema.createIndex('geo_areas_type').on('geo_areas').columns(['type', 'code']).execute();

  // Best-fit lookups: an LSOA of one vintage lies in one ward of a ward vintage, and in one
  // district.
  await db.schema
    .createTable('geo_lsoa_wards')
    .addColumn('lsoa_code', 'text', (c) => c.notNull())
    .addColumn('lsoa_vintage', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('ward_vintage', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('geo_lsoa_wards_pk', ['lsoa_code', 'lsoa_vintage', 'ward_vintage'])
    .execute();
  await db.schema
    .createIndex('geo_lsoa_wards_district')
    .on('geo_lsoa_wards')
    .columns(['district_code', 'ward_vintage'])
    .execute();

  // A district's place above it in a lookup's vintage: its CSP, police force area, county or
  // region.
  await db.schema
    .createTable('geo_district_links')
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('vintage', 'text', (c) => c.notNull())
    .addColumn('parent_type', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('geo_district_links_pk', ['district_code', 'vintage', 'parent_type'])
    .addCheckConstraint(
      'geo_district_links_type',
      sql`parent_type in ('csp', 'pfa', 'county', 'region')`,
    )
    .execute();

  // Mid-year estimates, kept per release: figures are revised between releases and a trend
  // never mixes them.
  await db.schema
    .createTable('population_estimates')
    .addColumn('import_id', 'integer', (c) =>
      c.notNull().references('data_imports.id').onDelete('cascade'),
    )
    .addColumn('area_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('population_estimates_pk', ['import_id', 'area_code', 'year'])
    .execute();
  await db.schema
    .createIndex('population_estimates_area')
    .on('population_estimates')
    .columns(['area_code', 'year'])
    .execute();

  // A force's month of street-level records as last imported: replaced whole on re-import.
  await db.schema
    .createTable('crime_months')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('import_id', 'integer', (c) => c.notNull().references('data_imports.id'))
    .addColumn('records', 'integer', (c) => c.notNull())
    // Anti-social behaviour records among them: the incomplete-month rule compares crimes only.
    .addColumn('asb', 'integer', (c) => c.notNull())
    .addColumn('no_location', 'integer', (c) => c.notNull())
    .addColumn('unknown_lsoa', 'integer', (c) => c.notNull())
    .addColumn('lsoa_vintage', 'text', (c) => c.notNull())
    // Why the month looks incomplete against its neighbours; null when it does not.
    .addColumn('flag', 'text')
    .addPrimaryKeyConstraint('crime_months_pk', ['force', 'month'])
    .execute();

  // Counts by district and by ward, month and police.uk crime type ('Anti-social behaviour'
  // included). The district table answers peer comparisons across the country quickly.
  await db.schema
    .createTable('crime_district_counts')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('crime_type', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('crime_district_counts_pk', [
      'force',
      'month',
      'district_code',
      'crime_type',
    ])
    .execute();
  await db.schema
    .createIndex('crime_district_counts_district')
    .on('crime_district_counts')
    .columns(['district_code', 'month'])
    .execute();
  await db.schema
    .createTable('crime_ward_counts')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('ward_vintage', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('crime_type', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('crime_ward_counts_pk', [
      'force',
      'month',
      'ward_code',
      'ward_vintage',
      'crime_type',
    ])
    .execute();
  await db.schema
    .createIndex('crime_ward_counts_district')
    .on('crime_ward_counts')
    .columns(['district_code', 'month'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'crime_ward_counts',
    'crime_district_counts',
    'crime_months',
    'population_estimates',
    'geo_district_links',
    'geo_lsoa_wards',
    'geo_areas',
    'data_imports',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
