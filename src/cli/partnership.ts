import { COMMAND_LINE } from '../core/actor.js';
import { PARTNERSHIP_TYPES } from '../features/partnerships/partnerships.schemas.js';
import { dispatch, oneOf, parseOptions, print, requireOption, withServices } from './support.js';

const CREATE_HELP = `Usage: saferplan partnership create --name NAME --slug SLUG --type TYPE [--parent SLUG] [--areas CODES]

Adds a partnership.

Options:
  --name NAME       full name, like "Swale Community Safety Partnership"
  --slug SLUG       short name used in addresses: lower-case letters, numbers and hyphens
  --type TYPE       district, unitary or county
  --parent SLUG     the county partnership a district or unitary partnership sits under
  --areas CODES     ONS codes of the districts it covers, separated by commas, like E07000113`;

export const PARTNERSHIP_HELP = `Usage: saferplan partnership create [options]

Commands:
  create   add a partnership (see saferplan partnership create --help)`;

async function create(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      name: { type: 'string' },
      slug: { type: 'string' },
      type: { type: 'string' },
      parent: { type: 'string' },
      areas: { type: 'string' },
    },
    'partnership create',
  );
  if (options.help) {
    print(CREATE_HELP);
    return;
  }
  const input = {
    name: requireOption(options.name, 'name'),
    slug: requireOption(options.slug, 'slug'),
    type: oneOf(options.type, 'type', PARTNERSHIP_TYPES),
    parent: options.parent,
    areas: options.areas ?? '',
  };
  await withServices(async ({ partnerships }) => {
    const created = await partnerships.create(COMMAND_LINE, input);
    const p = await partnerships.get(COMMAND_LINE, created.slug);
    print(`Created ${p.name} (${p.slug}), a ${p.type} partnership, id ${p.id}.`);
    if (p.parent) print(`It sits under ${p.parent.name} (${p.parent.slug}).`);
    print(`Areas: ${p.areas.length ? p.areas.join(', ') : 'none recorded'}`);
  });
}

export async function runPartnership(args: string[]): Promise<void> {
  return dispatch('partnership', args, { create }, PARTNERSHIP_HELP);
}
