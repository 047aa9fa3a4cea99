import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { AccountsService } from './features/accounts/accounts.service.js';
import { AgenciesService } from './features/agencies/agencies.service.js';
import { AssessmentsService } from './features/assessments/assessments.service.js';
import { AuthService } from './features/auth/auth.service.js';
import { CountyService } from './features/county/county.service.js';
import { CrimeService } from './features/crime/crime.service.js';
import { refreshCrimeIndicators } from './features/indicators/crime-indicators.js';
import { GeographyService } from './features/geography/geography.service.js';
import { FundingService } from './features/funding/funding.service.js';
import { GroupsService } from './features/groups/groups.service.js';
import { HomeService } from './features/home/home.service.js';
import { IndicatorFilesService } from './features/indicators/indicator-files.service.js';
import { IndicatorsService } from './features/indicators/indicators.service.js';
import { MembersService } from './features/partnerships/members.service.js';
import { PartnershipsService } from './features/partnerships/partnerships.service.js';
import { ActionsService } from './features/plans/actions.service.js';
import { OverviewService } from './features/plans/overview.service.js';
import { PlanFilesService } from './features/plans/plan-files.service.js';
import { PlansService } from './features/plans/plans.service.js';
import { RoundsService } from './features/plans/rounds.service.js';
import { ThemesService } from './features/plans/themes.service.js';
import { UpdatesService } from './features/plans/updates.service.js';
import { PrioritiesService } from './features/priorities/priorities.service.js';
import { ReportsService } from './features/reports/reports.service.js';
import { TokensService } from './features/tokens/tokens.service.js';

/** The one place services are built; pages, API and command line all use these. */
export function buildServices(db: Db, config: Config) {
  const auth = new AuthService(db, config);
  const partnerships = new PartnershipsService(db);
  const indicators = new IndicatorsService(db, partnerships);
  const crime = new CrimeService(db, partnerships);
  // Indicators filled from police.uk data follow every crime import once it has committed.
  crime.onImported(async () => {
    await refreshCrimeIndicators(db);
  });
  return {
    db,
    config,
    auth,
    accounts: new AccountsService(db, auth),
    agencies: new AgenciesService(db),
    partnerships,
    members: new MembersService(db, auth, partnerships),
    groups: new GroupsService(db, partnerships),
    home: new HomeService(db, partnerships),
    plans: new PlansService(db, partnerships),
    planFiles: new PlanFilesService(db, partnerships),
    themes: new ThemesService(db, partnerships),
    actions: new ActionsService(db, partnerships),
    updates: new UpdatesService(db, partnerships),
    rounds: new RoundsService(db, partnerships),
    overview: new OverviewService(db, partnerships),
    indicators,
    indicatorFiles: new IndicatorFilesService(db, partnerships, indicators),
    reports: new ReportsService(db, partnerships, indicators),
    county: new CountyService(db, partnerships),
    assessments: new AssessmentsService(db, partnerships),
    tokens: new TokensService(db),
    crime,
    priorities: new PrioritiesService(db, partnerships),
    geography: new GeographyService(db),
    funding: new FundingService(db, partnerships),
  };
}

export type Services = ReturnType<typeof buildServices>;
