import { COMMAND_LINE } from '../core/actor.js';
import { AGENCY_KINDS } from '../features/agencies/agencies.schemas.js';
import { dispatch, oneOf, parseOptions, print, requireOption, withServices } from './support.js';

const CREATE_HELP = `Usage: saferplan agency create --name NAME --kind KIND

Adds a partner agency; any partnership can then add it as a partner.

Options:
  --name NAME   the agency's name, like "Kent Fire and Rescue Service"
  --kind KIND   ${AGENCY_KINDS.join(', ')}`;

export const AGENCY_HELP = `Usage: saferplan agency create [options]

Commands:
  create   add a partner agency (see saferplan agency create --help)`;

async function create(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    { name: { type: 'string' }, kind: { type: 'string' } },
    'agency create',
  );
  if (options.help) {
    print(CREATE_HELP);
    return;
  }
  const input = {
    name: requireOption(options.name, 'name'),
    kind: oneOf(options.kind, 'kind', AGENCY_KINDS),
  };
  await withServices(async ({ agencies }) => {
    const agency = await agencies.create(COMMAND_LINE, input);
    print(`Created agency ${agency.name} (${agency.kind}), id ${agency.id}.`);
  });
}

export async function runAgency(args: string[]): Promise<void> {
  return dispatch('agency', args, { create }, AGENCY_HELP);
}
