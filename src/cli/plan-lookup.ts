import { COMMAND_LINE } from '../core/actor.js';
import { NotFoundError } from '../core/errors.js';
import type { PartnershipRow } from '../features/partnerships/partnerships.table.js';
import { readPlanPeriod } from '../features/plans/plans.schemas.js';
import type { Services } from '../services.js';
import { CommandError, requireOption } from './support.js';

/** The partnership by its short name, or an error naming the option. */
export async function partnershipNamed(services: Services, slug: string): Promise<PartnershipRow> {
  try {
    return await services.partnerships.readable(COMMAND_LINE, slug);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    throw new CommandError(`there is no partnership with the short name "${slug}" (--partnership)`);
  }
}

/** --period read as plans write it ("2024-25" is 2024/25), or an error naming the option. */
export function periodOption(value: string | undefined, option = 'period'): string {
  const period = readPlanPeriod(requireOption(value, option));
  if ('error' in period) throw new CommandError(`${period.error} (--${option})`);
  return period.label;
}

/** The partnership's plan for the period, or an error listing the periods it has plans for. */
export async function planForPeriod(
  services: Services,
  p: PartnershipRow,
  period: string,
  option = 'period',
) {
  const plans = await services.plans.list(COMMAND_LINE, p.slug);
  const plan = plans.find((x) => x.periodLabel === period);
  if (plan) return plan;
  const have = plans.length
    ? `its plans are for ${plans.map((x) => x.periodLabel).join(', ')}`
    : 'it has no plans yet';
  throw new CommandError(`${p.name} has no plan for ${period} (--${option}): ${have}`);
}
