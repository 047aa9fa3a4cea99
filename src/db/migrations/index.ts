import type { Migration } from 'kysely';
import * as m0001 from './0001-platform.js';
import * as m0002 from './0002-plans.js';
import * as m0003 from './0003-updates.js';
import * as m0004 from './0004-rounds.js';
import * as m0005 from './0005-file-imports.js';
import * as m0006 from './0006-indicators.js';
import * as m0007 from './0007-reports.js';
import * as m0008 from './0008-geography-crime.js';
import * as m0009 from './0009-recorded-crime.js';
import * as m0010 from './0010-assessments.js';
import * as m0011 from './0011-priorities.js';
import * as m0012 from './0012-funding.js';
import * as m0013 from './0013-ward-counts-by-measure.js';
import * as m0014 from './0014-import-heartbeat.js';
import * as m0015 from './0015-crime-count-keys.js';
import * as m0016 from './0016-import-progress.js';
import * as m0017 from './0017-page-versions.js';
import * as m0018 from './0018-ward-counts-crime-and-asb.js';
import * as m0019 from './0019-district-counts-key-covers-count.js';

// Listed explicitly, in order; a migration is never edited once it has shipped.
export const migrations: Record<string, Migration> = {
  '0001-platform': m0001,
  '0002-plans': m0002,
  '0003-updates': m0003,
  '0004-rounds': m0004,
  '0005-file-imports': m0005,
  '0006-indicators': m0006,
  '0007-reports': m0007,
  '0008-geography-crime': m0008,
  '0009-recorded-crime': m0009,
  '0010-assessments': m0010,
  '0011-priorities': m0011,
  '0012-funding': m0012,
  '0013-ward-counts-by-measure': m0013,
  '0014-import-heartbeat': m0014,
  '0015-crime-count-keys': m0015,
  '0016-import-progress': m0016,
  '0017-page-versions': m0017,
  '0018-ward-counts-crime-and-asb': m0018,
  '0019-district-counts-key-covers-count': m0019,
};
