import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const cols = "{'Crime ID':'VARCHAR','Month':'VARCHAR','Reported by':'VARCHAR','Falls within':'VARCHAR','Longitude':'VARCHAR','Latitude':'VARCHAR','Location':'VARCHAR','LSOA code':'VARCHAR','LSOA name':'VARCHAR','Crime type':'VARCHAR','Last outcome category':'VARCHAR','Context':'VARCHAR'}";
const d='/work/shared/data/police-uk/street/';
const files = [d+'kent-2021-03_full-force/2021-03-kent-street.csv', d+'kent-2018-10_to_2019-02_swale-medway/2018-10-kent-street.csv', d+'format-variants_2019-01/2019-01-leicestershire-street.csv'];
const r = await c.runAndReadAll(`select filename, "Month", count(*)::INTEGER n, count(distinct "Crime type")::INTEGER t, max(length("Context"))::INTEGER ctx, max("Location") filter (where "Location" like '%,%') q, sum(("LSOA code" is null)::INTEGER)::INTEGER nolsoa, sum(("Crime ID" is null)::INTEGER)::INTEGER noid from read_csv([${files.map(f=>`'${f}'`)}], header=true, auto_detect=false, delim=',', quote='"', escape='"', columns=${cols}, strict_mode=true, null_padding=false, filename=true) group by all`);
console.log(r.getRowObjectsJS());
