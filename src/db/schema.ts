import type { UsersTable } from '../features/accounts/accounts.table.js';
import type { AgenciesTable } from '../features/agencies/agencies.table.js';
import type {
  AssessmentOverviewsTable,
  AssessmentsTable,
} from '../features/assessments/assessments.table.js';
import type { AuditEventsTable } from '../features/audit/audit.table.js';
import type {
  OneTimeLinksTable,
  SessionsTable,
  SignInThrottleTable,
} from '../features/auth/auth.table.js';
import type {
  IndicatorsTable,
  IndicatorValuesTable,
} from '../features/indicators/indicators.table.js';
import type { FileImportsTable } from '../features/imports/imports.table.js';
import type {
  BudgetMovesTable,
  FundingProposalsTable,
  FundPotsTable,
  FundPrioritiesTable,
  FundsTable,
  OutcomeReachTable,
  ProposalDecisionsTable,
  ProposalOutcomesTable,
  ProposalPrioritiesTable,
  ProposalStageEventsTable,
  ProposalThemesTable,
  ProposalVotesTable,
  SpendEntriesTable,
} from '../features/funding/funding.table.js';
import type { GroupMembersTable, GroupsTable } from '../features/groups/groups.table.js';
import type {
  MembershipsTable,
  PartnershipAgenciesTable,
  PartnershipAreasTable,
  PartnershipsTable,
} from '../features/partnerships/partnerships.table.js';
import type {
  ActionLeadsTable,
  ActionsTable,
  ActionUpdatesTable,
  MilestonesTable,
} from '../features/plans/actions.table.js';
import type {
  PlanDriversTable,
  PlanRisksTable,
  PlansTable,
} from '../features/plans/plans.table.js';
import type { RoundRemindersTable, UpdateRoundsTable } from '../features/plans/rounds.table.js';
import type { ThemePriorityActionsTable, ThemesTable } from '../features/plans/themes.table.js';
import type {
  CrimeDistrictCountsTable,
  CrimeMonthsTable,
  CrimeWardCountsTable,
  RecordedCrimeCspTable,
  RecordedCrimePfaTable,
} from '../features/crime/crime.table.js';
import type {
  DataImportsTable,
  GeoAreasTable,
  GeoDistrictLinksTable,
  GeoLsoaWardsTable,
  PopulationEstimatesTable,
} from '../features/geography/geography.table.js';
import type {
  PriorityCandidatesTable,
  PriorityCriteriaTable,
  PriorityExercisesTable,
  PriorityScorersTable,
  PriorityScoresTable,
} from '../features/priorities/priorities.table.js';
import type { ReportCommentaryTable, ReportsTable } from '../features/reports/reports.table.js';
import type { ApiTokensTable } from '../features/tokens/tokens.table.js';

/** Moved on by triggers whenever what a partnership's plan pages show changes (0: agencies). */
export interface PageVersionsTable {
  partnership_id: number;
  version: number;
}

export interface Database {
  agencies: AgenciesTable;
  users: UsersTable;
  partnerships: PartnershipsTable;
  partnership_areas: PartnershipAreasTable;
  partnership_agencies: PartnershipAgenciesTable;
  memberships: MembershipsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  sessions: SessionsTable;
  sign_in_throttle: SignInThrottleTable;
  one_time_links: OneTimeLinksTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  plans: PlansTable;
  plan_drivers: PlanDriversTable;
  plan_risks: PlanRisksTable;
  themes: ThemesTable;
  theme_priority_actions: ThemePriorityActionsTable;
  actions: ActionsTable;
  action_leads: ActionLeadsTable;
  milestones: MilestonesTable;
  action_updates: ActionUpdatesTable;
  update_rounds: UpdateRoundsTable;
  round_reminders: RoundRemindersTable;
  indicators: IndicatorsTable;
  indicator_values: IndicatorValuesTable;
  file_imports: FileImportsTable;
  reports: ReportsTable;
  report_commentary: ReportCommentaryTable;
  data_imports: DataImportsTable;
  geo_areas: GeoAreasTable;
  geo_lsoa_wards: GeoLsoaWardsTable;
  geo_district_links: GeoDistrictLinksTable;
  population_estimates: PopulationEstimatesTable;
  crime_months: CrimeMonthsTable;
  crime_district_counts: CrimeDistrictCountsTable;
  crime_ward_counts: CrimeWardCountsTable;
  assessments: AssessmentsTable;
  assessment_overviews: AssessmentOverviewsTable;
  recorded_crime_pfa: RecordedCrimePfaTable;
  recorded_crime_csp: RecordedCrimeCspTable;
  priority_exercises: PriorityExercisesTable;
  priority_criteria: PriorityCriteriaTable;
  priority_candidates: PriorityCandidatesTable;
  priority_scorers: PriorityScorersTable;
  priority_scores: PriorityScoresTable;
  funds: FundsTable;
  fund_priorities: FundPrioritiesTable;
  fund_pots: FundPotsTable;
  funding_proposals: FundingProposalsTable;
  proposal_priorities: ProposalPrioritiesTable;
  proposal_themes: ProposalThemesTable;
  proposal_stage_events: ProposalStageEventsTable;
  proposal_votes: ProposalVotesTable;
  proposal_decisions: ProposalDecisionsTable;
  budget_moves: BudgetMovesTable;
  spend_entries: SpendEntriesTable;
  proposal_outcomes: ProposalOutcomesTable;
  outcome_reach: OutcomeReachTable;
  page_versions: PageVersionsTable;
}
