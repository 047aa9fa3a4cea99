import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { buildServices, type Services } from '../../src/services.js';
import { freshDatabase } from '../helpers/database.js';

// The real command line, as a person runs it: the shell script, tsx, a separate process.
const BIN = resolve(import.meta.dirname, '../../bin/saferplan');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/saferplan from an unrelated directory; `input` is piped to standard input. */
function saferplan(args: string[], url: string, input?: string): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(BIN, args, {
      cwd: tmpdir(),
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code, stdout, stderr });
    });
    // A command that fails early exits without reading its input: that pipe error is expected.
    child.stdin.on('error', () => undefined);
    // Nothing to say is an empty pipe: standard input that is not a terminal and has no content.
    child.stdin.end(input ?? '');
  });
}

function signInsFrom(stdout: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of stdout.matchAll(/(\S+@\S+\.example\.org)\s+([a-z0-9]{4}(?:-[a-z0-9]{4}){3})/g)) {
    found.set(m[1] ?? '', m[2] ?? '');
  }
  return found;
}

let url: string;
let services: Services;
let drop: () => Promise<void>;
let firstDemo = new Map<string, string>();

beforeAll(async () => {
  const fresh = await freshDatabase();
  url = fresh.url;
  drop = fresh.drop;
  services = buildServices(fresh.db, testConfig({ signInThrottle: false }));
});
afterAll(() => drop());

describe('saferplan command line', () => {
  it('explains itself and every command with --help, and refuses unknown commands', async () => {
    const commands = [
      ['serve'],
      ['migrate'],
      ['demo'],
      ['partnership', 'create'],
      ['agency', 'create'],
      ['user', 'create'],
      ['user', 'reset'],
    ];
    const [top, unknown, ...each] = await Promise.all([
      saferplan(['--help'], url),
      saferplan(['frobnicate'], url),
      ...commands.map((c) => saferplan([...c, '--help'], url)),
    ]);
    expect(top?.code).toBe(0);
    for (const c of commands) expect(top?.stdout).toContain(c.join(' '));
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown?.stderr).toBe(
      'Error: unknown command "frobnicate": run saferplan --help for the list\n',
    );
    each.forEach((r, i) => {
      expect(r.code, commands[i]?.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: saferplan ${commands[i]?.join(' ') ?? ''}`);
    });
  });

  it('migrates a new database once and then reports it up to date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'saferplan-cli-'));
    try {
      const sqlite = `sqlite:${join(dir, 'new.db')}`;
      const first = await saferplan(['migrate'], sqlite);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('Ran migration 0001-platform');
      const again = await saferplan(['migrate'], sqlite);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('up to date: no migrations to run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates partnerships and refuses bad ones with a message naming the option', async () => {
    const county = await saferplan(
      [
        'partnership',
        'create',
        '--name',
        'Northshire County CSP',
        '--slug',
        'northshire',
        '--type',
        'county',
      ],
      url,
    );
    expect(county.code).toBe(0);
    expect(county.stdout).toMatch(/^Created Northshire County CSP \(northshire\), a county/);
    const district = await saferplan(
      [
        'partnership',
        'create',
        '--name=Riverton CSP',
        '--slug=riverton',
        '--type=district',
        '--parent=northshire',
        '--areas=E07000113, e07000114',
      ],
      url,
    );
    expect(district.code).toBe(0);
    expect(district.stdout).toContain('It sits under Northshire County CSP (northshire).');
    const riverton = await services.partnerships.get(COMMAND_LINE, 'riverton');
    expect(riverton.parent?.slug).toBe('northshire');
    expect(riverton.areas).toEqual(['E07000113', 'E07000114']);

    const base = ['partnership', 'create', '--name', 'Lakeside CSP'];
    const unknownType = await saferplan([...base, '--slug', 'lakeside', '--type', 'city'], url);
    expect(unknownType.code).toBe(2);
    expect(unknownType.stderr).toBe(
      'Error: --type must be district, unitary or county, not "city"\n',
    );
    const unknownParent = await saferplan(
      [...base, '--slug', 'lakeside', '--type', 'district', '--parent', 'nowhere'],
      url,
    );
    expect(unknownParent.code).toBe(1);
    expect(unknownParent.stderr).toBe(
      'Error: There is no county partnership with this short name (--parent)\n',
    );
    const duplicate = await saferplan([...base, '--slug', 'riverton', '--type', 'district'], url);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe('Error: A partnership already uses this short name (--slug)\n');
    const missing = await saferplan(['partnership', 'create', '--slug', 'lakeside'], url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('Error: --name is required\n');
    await expect(services.partnerships.get(COMMAND_LINE, 'lakeside')).rejects.toThrow(
      'Partnership not found',
    );
  });

  it('creates agencies and refuses an unknown kind or a duplicate name', async () => {
    const created = await saferplan(
      ['agency', 'create', '--name', 'Riverton Council', '--kind', 'council'],
      url,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created agency Riverton Council \(council\), id \d+\.$/m);
    const badKind = await saferplan(
      ['agency', 'create', '--name', 'Riverton Zoo', '--kind', 'zoo'],
      url,
    );
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('--kind must be council, police, fire');
    const duplicate = await saferplan(
      ['agency', 'create', '--name', 'riverton council', '--kind', 'council'],
      url,
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe('Error: An agency with this name already exists (--name)\n');
  });

  it('creates an account with a password from standard input and a partnership role', async () => {
    const password = 'a long and private passphrase';
    const res = await saferplan(
      [
        'user',
        'create',
        '--email',
        'Lee.Carter@Example.org',
        '--name',
        'Lee Carter',
        '--agency',
        'Riverton Council',
        '--partnership',
        'riverton',
        '--role',
        'coordinator',
      ],
      url,
      `${password}\n`,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('They are a coordinator of Riverton CSP (riverton).');
    expect(res.stdout).toContain('Their password is the one given on standard input.');
    const signIn = await services.auth.signIn('lee.carter@example.org', password);
    expect(signIn.ok).toBe(true);
    const actor = signIn.ok ? await services.auth.actorFor(signIn.userId) : undefined;
    const riverton = await services.partnerships.get(COMMAND_LINE, 'riverton');
    expect(actor?.roles.get(riverton.id)).toBe('coordinator');
    expect(actor?.isAdmin).toBe(false);
  });

  it('creates an administrator with a one-time link when no password is piped in', async () => {
    const res = await saferplan(
      ['user', 'create', '--email', 'kim@example.org', '--name', 'Kim Lowe', '--admin'].concat([
        '--agency',
        'Riverton Council',
      ]),
      url,
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('They are a system administrator.');
    const token = /\/set-password\/(\S+)/.exec(res.stdout)?.[1] ?? '';
    const link = await services.auth.findOneTimeLink(token);
    expect(link?.email).toBe('kim@example.org');
    const account = await services.accounts.get(COMMAND_LINE, link?.userId ?? 0);
    expect(account).toMatchObject({ isAdmin: true, hasPassword: false, memberships: [] });
  });

  it('refuses bad account details and leaves no half-made account', async () => {
    const base = ['user', 'create', '--name', 'Pat Moss', '--agency', 'Riverton Council'];
    const badEmail = await saferplan([...base, '--email', 'pat.example.org'], url);
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toBe(
      'Error: Enter an email address in the correct format, like name@example.org (--email)\n',
    );
    const unknownAgency = await saferplan(
      ['user', 'create', '--email', 'pat@example.org', '--name', 'Pat', '--agency', 'Nowhere'],
      url,
    );
    expect(unknownAgency.code).toBe(1);
    expect(unknownAgency.stderr).toContain('there is no agency called "Nowhere" (--agency)');
    const noRole = await saferplan(
      [...base, '--email', 'pat@example.org', '--partnership', 'riverton'],
      url,
    );
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toBe('Error: --partnership needs --role coordinator, lead or viewer\n');
    const unknownPartnership = await saferplan(
      [...base, '--email', 'pat@example.org', '--partnership', 'nowhere', '--role', 'lead'],
      url,
      'a long and private passphrase',
    );
    expect(unknownPartnership.code).toBe(1);
    expect(unknownPartnership.stderr).toContain('no partnership with the short name "nowhere"');
    const shortPassword = await saferplan(
      [...base, '--email', 'pat@example.org', '--partnership', 'riverton', '--role', 'lead'],
      url,
      'short',
    );
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toContain('Password must be at least 12 characters');
    expect(await services.accounts.findByEmail('pat@example.org')).toBeUndefined();
    const taken = await saferplan([...base, '--email', 'kim@example.org'], url);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('Error: An account already uses this email address (--email)\n');
  });

  it('prints a fresh one-time link for an account, and refuses an unknown email', async () => {
    const res = await saferplan(['user', 'reset', '--email', 'LEE.CARTER@example.org'], url);
    expect(res.code).toBe(0);
    const token = /\/set-password\/(\S+)/.exec(res.stdout)?.[1] ?? '';
    expect((await services.auth.findOneTimeLink(token))?.email).toBe('lee.carter@example.org');
    const unknown = await saferplan(['user', 'reset', '--email', 'nobody@example.org'], url);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('Error: no account uses the email address nobody@example.org\n');
  });

  it('loads the demo once, with sign-ins that work, and refuses a second time', async () => {
    const res = await saferplan(['demo'], url);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const signIns = signInsFrom(res.stdout);
    firstDemo = signIns;
    expect([...signIns.keys()].sort()).toEqual([
      'admin@saferplan.example.org',
      'coordinator@kent.example.org',
      'coordinator@swale.example.org',
      'lead@swale.example.org',
      'viewer@swale.example.org',
    ]);
    for (const [email, password] of signIns) {
      expect((await services.auth.signIn(email, password)).ok, email).toBe(true);
    }
    const swale = await services.partnerships.get(COMMAND_LINE, 'swale');
    expect(swale.parent?.slug).toBe('kent');
    expect((await services.partnerships.get(COMMAND_LINE, 'kent')).areas).toHaveLength(12);
    const groups = await services.groups.list(COMMAND_LINE, 'swale');
    expect(groups.map((g) => g.meetingFrequency)).toContain('Weekly');
    expect(groups.every((g) => g.memberCount > 0)).toBe(true);

    const again = await saferplan(['demo'], url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the demo is already loaded');
    expect(again.stdout).toBe('');
  });

  it('gives the district an adopted plan part-way through its year', async () => {
    const [summary, ...others] = await services.plans.list(COMMAND_LINE, 'swale');
    expect(others).toEqual([]);
    expect(summary).toMatchObject({ periodLabel: '2024/25', status: 'adopted' });
    const plan = await services.plans.get(COMMAND_LINE, 'swale', summary?.id ?? 0);
    for (const section of [
      plan.introduction,
      plan.background,
      plan.delivery,
      plan.performanceMonitoring,
    ])
      expect(section.length).toBeGreaterThan(100);
    expect(plan.drivers.length).toBeGreaterThanOrEqual(5);
    expect(plan.risks.length).toBeGreaterThanOrEqual(3);

    // Four priorities, then three cross-cutting themes, each with its summary and bullets.
    expect(plan.themes.map((t) => t.type)).toEqual([
      ...Array<string>(4).fill('priority'),
      ...Array<string>(3).fill('cross-cutting'),
    ]);
    for (const t of plan.themes) {
      expect(t.summary, t.title).not.toBe('');
      expect(t.priorityActions.length, t.title).toBeGreaterThan(0);
    }
    // Numbered by theme, 1.1 onwards, as the paper plans are.
    const actions = plan.themes.flatMap((t, i) =>
      t.actions.map((a, j) => ({ ...a, expected: `${i + 1}.${j + 1}` })),
    );
    expect(actions.length).toBeGreaterThanOrEqual(22);
    expect(actions.length).toBeLessThanOrEqual(30);
    for (const a of actions) {
      expect(a.number).toBe(a.expected);
      expect(a.leads.length, a.number).toBeGreaterThan(0);
      expect(a.milestones.length, a.number).toBeGreaterThan(0);
    }
    const milestones = actions.flatMap((a) => a.milestones);
    expect(milestones.filter((m) => m.dueDate !== null).length).toBeGreaterThan(20);
    // A timescale nobody can turn into a date is kept and flagged, never guessed.
    expect(milestones.filter((m) => m.timescaleNote !== null).length).toBeGreaterThanOrEqual(1);
    expect(new Set(actions.flatMap((a) => a.leads.map((l) => l.type)))).toEqual(
      new Set(['agency', 'group']),
    );

    const rounds = await services.rounds.list(COMMAND_LINE, 'swale', plan.id);
    expect(rounds.map((r) => r.month)).toEqual(['2024-12', '2024-09']);
    const september = await services.rounds.get(COMMAND_LINE, 'swale', plan.id, rounds[1]?.id ?? 0);
    expect(september.updated).toBe(actions.length);
    const december = await services.rounds.get(COMMAND_LINE, 'swale', plan.id, rounds[0]?.id ?? 0);
    expect(december.updated).toBeGreaterThan(actions.length / 2);
    expect(december.updated).toBeLessThan(actions.length);

    // The exception report's three groups all have actions, and the latest round has gaps.
    const overview = await services.overview.get(COMMAND_LINE, 'swale', plan.id, {});
    const total = (key: 'complete' | 'inProgress' | 'notStartedOrOffTrack') =>
      overview.themes.reduce((n, t) => n + t.counts[key], 0);
    expect(total('complete')).toBeGreaterThan(0);
    expect(total('inProgress')).toBeGreaterThan(0);
    expect(total('notStartedOrOffTrack')).toBeGreaterThan(0);
    expect(overview.themes.reduce((n, t) => n + t.notUpdated, 0)).toBe(
      actions.length - december.updated,
    );
    expect(new Set(overview.themes.flatMap((t) => t.actions.map((a) => a.status)))).toEqual(
      new Set(['not-started', 'in-progress', 'complete', 'on-hold', 'off-track']),
    );

    // Leads wrote their own updates, and the demo's lead has actions of theirs still to update.
    const lead = await services.accounts.findByEmail('lead@swale.example.org');
    const leadActor = await services.auth.actorFor(lead?.id ?? 0);
    if (!leadActor) throw new Error('the demo lead has no account');
    const history = await services.updates.list(leadActor, 'swale', plan.id, actions[0]?.id ?? 0);
    expect(history.updates.map((u) => u.author)).toContain('Dan Hughes');
    const home = await services.home.forActor(leadActor);
    const toUpdate = home.todos.filter((t) => t.text.includes('update action'));
    expect(toUpdate.length).toBeGreaterThan(0);
    for (const t of toUpdate) expect(t.text).toContain('December 2024');
  });

  it('makes new demo passwords for each database', { timeout: 60_000 }, async () => {
    const other = await freshDatabase();
    try {
      const next = signInsFrom((await saferplan(['demo'], other.url)).stdout);
      expect(next.size).toBe(5);
      expect(firstDemo.size).toBe(5);
      for (const [email, password] of next) expect(firstDemo.get(email)).not.toBe(password);
    } finally {
      await other.drop();
    }
  });
});

describe('saferplan serve --demo', () => {
  let empty: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    empty = await freshDatabase();
  });
  afterAll(() => empty.drop());

  /** Starts the server on a free port; resolves once it says where it is running. */
  function serve(): Promise<{ output: string; site: string; stop: () => Promise<number | null> }> {
    return new Promise((done, fail) => {
      const child = spawn(BIN, ['serve', '--demo', '--port', '0'], {
        cwd: tmpdir(),
        env: { ...process.env, DATABASE_URL: empty.url, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const site = /Saferplan is running at (http:\/\/\S+) on/.exec(output)?.[1];
        if (site && output.includes('Press Ctrl+C to stop.')) {
          done({
            output,
            site,
            stop: () => {
              child.kill('SIGTERM');
              return exited;
            },
          });
        }
      });
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      void exited.then((code) => {
        fail(new Error(`serve exited with ${String(code)}: ${output}`));
      });
    });
  }

  it('loads the demo on an empty database, then keeps it', { timeout: 60_000 }, async () => {
    const first = await serve();
    try {
      expect(first.output).toContain('Demo loaded:');
      expect(signInsFrom(first.output).size).toBe(5);
      const health = await fetch(`${first.site}/healthz`);
      expect(health.status).toBe(200);
      const statement = await fetch(`${first.site}/accessibility`);
      expect(await statement.text()).toContain('Accessibility statement');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await serve();
    try {
      expect(second.output).not.toContain('Demo loaded:');
      expect(second.output).toContain(
        'bin/saferplan user reset --email coordinator@swale.example.org',
      );
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
