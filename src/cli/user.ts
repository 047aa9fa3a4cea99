import { COMMAND_LINE, ROLES } from '../core/actor.js';
import { NotFoundError } from '../core/errors.js';
import type { Agency } from '../features/agencies/agencies.service.js';
import type { Services } from '../services.js';
import {
  CommandError,
  dispatch,
  listWords,
  oneOf,
  parseOptions,
  print,
  readPipedInput,
  requireOption,
  UsageError,
  withServices,
} from './support.js';

const CREATE_HELP = `Usage: saferplan user create --email EMAIL --name NAME --agency AGENCY
                             [--partnership SLUG --role ROLE] [--admin]

Adds an account. A password piped to standard input becomes the account's password, as in
  printf '%s' "$PASSWORD" | saferplan user create ...
With nothing piped in, it prints a one-time link for the person to set their own.

Options:
  --email EMAIL         their email address, which they sign in with
  --name NAME           their full name
  --agency AGENCY       their agency, by name (as in saferplan agency create) or id
  --partnership SLUG    also make them a member of this partnership (needs --role)
  --role ROLE           ${listWords(ROLES, 'or')}
  --admin               make them a system administrator`;

const RESET_HELP = `Usage: saferplan user reset --email EMAIL

Prints a new one-time link for the account to set a password. Their current password keeps
working until the link is used.`;

export const USER_HELP = `Usage: saferplan user create|reset [options]

Commands:
  create   add an account (see saferplan user create --help)
  reset    print a one-time link to set a new password (see saferplan user reset --help)`;

function lifetime(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} minutes`;
  return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
}

async function findAgency(agencies: Services['agencies'], ref: string): Promise<Agency> {
  if (/^\d+$/.test(ref)) {
    try {
      return await agencies.get(Number(ref));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  const agency = await agencies.findByName(ref);
  if (agency) return agency;
  throw new CommandError(
    `there is no agency called "${ref}" (--agency): add it first with saferplan agency create`,
  );
}

async function create(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      email: { type: 'string' },
      name: { type: 'string' },
      agency: { type: 'string' },
      partnership: { type: 'string' },
      role: { type: 'string' },
      admin: { type: 'boolean' },
    },
    'user create',
  );
  if (options.help) {
    print(CREATE_HELP);
    return;
  }
  const email = requireOption(options.email, 'email');
  const name = requireOption(options.name, 'name');
  const agencyRef = requireOption(options.agency, 'agency').trim();
  if (options.partnership !== undefined && options.role === undefined) {
    throw new UsageError(`--partnership needs --role ${listWords(ROLES, 'or')}`);
  }
  if (options.role !== undefined && options.partnership === undefined) {
    throw new UsageError('--role needs --partnership SLUG: a role is always in a partnership');
  }
  const membership =
    options.partnership === undefined
      ? undefined
      : {
          slug: requireOption(options.partnership, 'partnership'),
          role: oneOf(options.role, 'role', ROLES),
        };
  const password = await readPipedInput();

  await withServices(async ({ accounts, agencies, partnerships, members, config }) => {
    const agency = await findAgency(agencies, agencyRef);
    const account = { email, name, agencyId: agency.id, isAdmin: options.admin === true };
    let created: { id: number; signInLink?: string };
    let partnershipName = '';
    if (membership) {
      try {
        const { userId, signInLink } = await members.createMemberAccount(
          COMMAND_LINE,
          membership.slug,
          { ...account, role: membership.role },
          password,
        );
        created = { id: userId, signInLink };
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        throw new CommandError(
          `there is no partnership with the short name "${membership.slug}" (--partnership)`,
        );
      }
      partnershipName = (await partnerships.get(COMMAND_LINE, membership.slug)).name;
    } else {
      created = await accounts.create(COMMAND_LINE, account, password);
    }
    const saved = await accounts.get(COMMAND_LINE, created.id);
    print(`Created account ${saved.id} for ${saved.name} <${saved.email}> at ${agency.name}.`);
    if (saved.isAdmin) print('They are a system administrator.');
    if (membership) {
      print(`They are a ${membership.role} of ${partnershipName} (${membership.slug}).`);
    }
    if (created.signInLink) {
      print(
        `They have no password yet. Send them this link to set one; it works once, within ${lifetime(config.oneTimeLinkMinutes)}:`,
      );
      print(`  ${created.signInLink}`);
    } else {
      print('Their password is the one given on standard input.');
    }
  });
}

async function reset(args: string[]): Promise<void> {
  const options = parseOptions(args, { email: { type: 'string' } }, 'user reset');
  if (options.help) {
    print(RESET_HELP);
    return;
  }
  const email = requireOption(options.email, 'email');
  await withServices(async ({ accounts, config }) => {
    const found = await accounts.findByEmail(email);
    if (!found) throw new CommandError(`no account uses the email address ${email.trim()}`);
    const link = await accounts.resetLink(COMMAND_LINE, found.id);
    const account = await accounts.get(COMMAND_LINE, found.id);
    print(
      `One-time link for ${account.name} <${account.email}> to set a new password. It works once, within ${lifetime(config.oneTimeLinkMinutes)}:`,
    );
    print(`  ${link}`);
    if (account.disabled)
      print('Their account is disabled: the link works once it is enabled again.');
  });
}

export async function runUser(args: string[]): Promise<void> {
  return dispatch('user', args, { create, reset }, USER_HELP);
}
