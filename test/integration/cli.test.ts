import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testConfig } from '../../src/config.js';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { MAX_FILE_BYTES } from '../../src/core/grid-file.js';
import { ukDate } from '../../src/domain/dates.js';
import { planFileMessages } from '../../src/features/plans/plan-file.js';
import { buildServices, type Services } from '../../src/services.js';
import { freshDatabase } from '../helpers/database.js';
import { BIN, saferplan } from '../helpers/cli.js';

// Every test starts the real command line, each start a new Node process of about a second's
// work, and the first asks for help from nineteen at once: on two busy cores that is more
// than the default 20 seconds, though nothing is wrong.
vi.setConfig({ testTimeout: 120_000 });

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
      ['plan', 'list'],
      ['plan', 'import'],
      ['plan', 'export'],
      ['plan', 'overview'],
      ['plan', 'round', 'open'],
      ['plan', 'round', 'show'],
      ['plan', 'update'],
      ['indicators', 'import'],
      ['report', 'exception'],
      ['indicators', 'county'],
    ];
    // Listed too, but not each started: every start costs about a second.
    const listed = [
      ...commands,
      ['plan', 'round', 'list'],
      ['plan', 'round', 'close'],
      ['plan', 'round', 'reopen'],
      ['indicators', 'list'],
      ['indicators', 'export'],
      ['geography', 'import'],
      ['geography', 'list'],
      ['population', 'import'],
    ];
    const [top, unknown, ...each] = await Promise.all([
      saferplan(['--help'], url),
      saferplan(['frobnicate'], url),
      ...commands.map((c) => saferplan([...c, '--help'], url)),
    ]);
    expect(top?.code).toBe(0);
    for (const c of listed) expect(top?.stdout).toContain(c.join(' '));
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown?.stderr).toBe(
      'Error: unknown command "frobnicate": run saferplan --help for the list\n',
    );
    each.forEach((r, i) => {
      expect(r.code, commands[i]?.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: saferplan ${commands[i]?.join(' ') ?? ''}`);
    });
  });

  it('stops quietly when the reader of its output has gone, as with | head', async () => {
    const child = spawn(BIN, ['--help'], { cwd: tmpdir(), env: process.env, stdio: 'pipe' });
    // Closed before the command can start, so its first line meets a pipe with no reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
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
    // Kent's two districts share an indicator, so the county's view of them has figures.
    const shared = await services.county.shared(COMMAND_LINE, 'kent');
    expect(shared.indicators.map((i) => [i.name, i.districts.length])).toEqual([
      ['ASB incidents', 2],
    ]);

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

describe('saferplan plan', () => {
  const SAMPLES = resolve(import.meta.dirname, '../../samples');
  const slug = 'eastbridge';
  let dir: string;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'saferplan-plans-'));
    await services.partnerships.create(COMMAND_LINE, {
      name: 'Eastbridge CSP',
      slug,
      type: 'unitary',
      areas: '',
    });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const importArgs = (period: string, file: string, title = `Eastbridge plan ${period}`) => [
    'plan',
    'import',
    '--partnership',
    slug,
    '--period',
    period,
    '--title',
    title,
    '--file',
    file,
  ];

  /** What a person sees of a plan, leaving out ids and the dates read from timescales. */
  async function contentOf(period: string) {
    const plan = await services.plans.get(COMMAND_LINE, slug, ids.get(period) ?? 0);
    return plan.themes.map((t) => ({
      type: t.type,
      title: t.title,
      actions: t.actions.map((a) => ({
        number: a.number,
        title: a.title,
        desiredOutcome: a.desiredOutcome,
        milestoneNote: a.milestoneNote,
        milestones: a.milestones.map((m) => ({ text: m.text, timescale: m.timescale })),
        leads: a.leads.map((l) => ({ type: l.type, id: l.id, name: l.name })),
        latest: a.latest,
      })),
    }));
  }

  it('imports the sample CSV and Excel files as draft plans', async () => {
    const csv = await saferplan(importArgs('2024/25', join(SAMPLES, 'action-plan.csv')), url);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    const id = /as the draft plan "Eastbridge plan 2024\/25" for 2024\/25, id (\d+)\./.exec(
      csv.stdout,
    )?.[1];
    ids.set('2024/25', Number(id));
    expect(csv.stdout).toContain(
      [
        'Themes: 4',
        'Actions: 10',
        'Milestones: 23',
        'Progress updates: 8',
        'Timescales that could not be read as dates: 0',
        'Actions whose milestones and timescales did not pair up: 0',
        'Lead bodies added as groups: 7',
        '  Police',
        '  Council licensing',
      ].join('\n'),
    );
    const groups = (await services.groups.list(COMMAND_LINE, slug)).map((g) => g.name);
    expect(groups.sort()).toEqual(
      ['Council', 'Council licensing', 'Fire', 'Health', 'Police', 'Probation', 'VCS'].sort(),
    );
    const plan = await services.plans.get(COMMAND_LINE, slug, ids.get('2024/25') ?? 0);
    expect(plan).toMatchObject({ periodLabel: '2024/25', status: 'draft' });
    expect(plan.themes.flatMap((t) => t.actions)).toHaveLength(10);

    // The same period written another way is still taken; the Excel sample goes in a year earlier.
    const clash = await saferplan(
      importArgs('2024-25', join(SAMPLES, 'action-plan.xlsx'), 'Another plan'),
      url,
    );
    expect(clash.code).toBe(1);
    expect(clash.stderr).toBe(
      'Error: The partnership already has a plan for this period (--period)\n',
    );
    const xlsx = await saferplan(importArgs('2023/24', join(SAMPLES, 'action-plan.xlsx')), url);
    expect(xlsx.stderr).toBe('');
    expect(xlsx.code).toBe(0);
    expect(xlsx.stdout).toContain('Actions: 10\n');
    // Its lead bodies are the groups the first import made.
    expect(xlsx.stdout).toMatch(/Lead bodies added as groups: 0\n$/);
    ids.set('2023/24', Number(/, id (\d+)\./.exec(xlsx.stdout)?.[1]));
    expect(await services.plans.list(COMMAND_LINE, slug)).toHaveLength(2);
  });

  it('refuses a bad file with every problem by row and column, saving nothing', async () => {
    const bad = join(dir, 'bad plan.csv');
    writeFileSync(
      bad,
      [
        'Theme type,Theme,No.,Action,Desired outcome,Key milestones,Timescales,Lead agency,Status,Update,Update month',
        'Priority,Town centre,1.1,Patrol,Fewer assaults,Rota,April 2025,Nightwatch Trust,Sort of,Going well,2025-06',
        'Priority,Town centre,1.2,Train staff,Staff help,Book,May 2025,Nightwatch Trust,Complete,Done,2025-13',
      ].join('\n'),
    );
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    truncateSync(big, MAX_FILE_BYTES + 1);
    const undated = join(dir, 'undated.csv');
    writeFileSync(
      undated,
      'Theme type,Theme,No.,Action,Desired outcome,Key milestones,Timescales,Lead agency,Status,Update\n' +
        'Priority,Town centre,1.1,Patrol,Fewer assaults,Rota,April 2025,Police,In progress,Going well\n',
    );
    // The missing and oversized files are refused before the database is opened.
    const [refused, missing, tooBig] = await Promise.all([
      saferplan(importArgs('2025/26', bad), url),
      saferplan(importArgs('2025/26', join(dir, 'nothing here.csv')), url),
      saferplan(importArgs('2025/26', big), url),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      [
        'Error: nothing was imported: fix these 2 problems in bad plan.csv and import it again',
        `Error: Row 2, Status: ${planFileMessages.statusBad}`,
        `Error: Row 3, Update month: ${planFileMessages.monthBad}`,
        '',
      ].join('\n'),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `Error: there is no file at ${join(dir, 'nothing here.csv')} (--file)\n`,
    );
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toBe(
      `Error: ${big} is too large: the file must be smaller than 10 MB (--file)\n`,
    );
    const noMonth = await saferplan(importArgs('2025/26', undated), url);
    expect(noMonth.code).toBe(1);
    expect(noMonth.stderr).toBe(
      'Error: The file has an update with no update month: enter the month it is for (--update-month)\n',
    );

    expect(await services.plans.list(COMMAND_LINE, slug)).toHaveLength(2);
    const groups = await services.groups.list(COMMAND_LINE, slug);
    expect(groups.map((g) => g.name)).not.toContain('Nightwatch Trust');
  });

  it('exports a plan as CSV and Excel that import back as the same plan', async () => {
    const base = ['plan', 'export', '--partnership', slug, '--period', '2024-25'];
    const csv = await saferplan([...base, '--format', 'csv', '--out', '-'], url);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    const expected = await services.planFiles.exportPlan(
      COMMAND_LINE,
      slug,
      ids.get('2024/25') ?? 0,
      'csv',
    );
    expect(csv.stdout).toBe(expected.content.toString('utf8'));
    const csvFile = join(dir, 'exported.csv');
    writeFileSync(csvFile, csv.stdout);

    // --force replaces a file; without it, an existing file is left alone.
    const xlsxFile = join(dir, 'exported.xlsx');
    writeFileSync(xlsxFile, 'an older file');
    const xlsx = await saferplan([...base, '--format', 'xlsx', '--out', xlsxFile, '--force'], url);
    expect(xlsx.stderr).toBe('');
    expect(xlsx.code).toBe(0);
    expect(xlsx.stdout).toMatch(
      new RegExp(
        `^Wrote the plan "Eastbridge plan 2024/25" for 2024/25 \\(draft, id \\d+\\) to ${xlsxFile} as an Excel workbook: [\\d,]+ bytes\\.\\n$`,
      ),
    );
    const written = readFileSync(xlsxFile);
    expect(written.subarray(0, 2).toString()).toBe('PK');
    const [kept, fromCsv] = await Promise.all([
      saferplan([...base, '--format', 'xlsx', '--out', xlsxFile], url),
      saferplan(importArgs('2025/26', csvFile), url),
    ]);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toBe(
      `Error: ${xlsxFile} already exists (--out): give another file name, or add --force to replace it\n`,
    );
    expect(readFileSync(xlsxFile).equals(written)).toBe(true);
    expect(fromCsv.stderr).toBe('');
    expect(fromCsv.stdout).toMatch(/Lead bodies added as groups: 0\n$/);
    ids.set('2025/26', Number(/, id (\d+)\./.exec(fromCsv.stdout)?.[1]));
    const fromXlsx = await saferplan(importArgs('2026/27', xlsxFile), url);
    expect(fromXlsx.stderr).toBe('');
    ids.set('2026/27', Number(/, id (\d+)\./.exec(fromXlsx.stdout)?.[1]));

    const original = await contentOf('2024/25');
    expect(original.flatMap((t) => t.actions.filter((a) => a.latest))).toHaveLength(8);
    expect(await contentOf('2025/26')).toEqual(original);
    expect(await contentOf('2026/27')).toEqual(original);
  });

  it('lists the plans, latest period first, and refuses an unknown partnership', async () => {
    const [list, unknown, noPlan] = await Promise.all([
      saferplan(['plan', 'list', '--partnership', slug], url),
      saferplan(['plan', 'list', '--partnership', 'nowhere'], url),
      saferplan(
        ['plan', 'export', '--partnership', slug, '--period', '2030/31', '--format', 'csv'].concat([
          '--out',
          '-',
        ]),
        url,
      ),
    ]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    ['2026/27', '2025/26', '2024/25', '2023/24'].forEach((period, i) => {
      expect(lines[i]).toMatch(
        new RegExp(`^${period}  Eastbridge plan ${period}  draft\\s+id ${ids.get(period) ?? 0}$`),
      );
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'Error: there is no partnership with the short name "nowhere" (--partnership)\n',
    );
    expect(noPlan.code).toBe(1);
    expect(noPlan.stderr).toBe(
      'Error: Eastbridge CSP has no plan for 2030/31 (--period): its plans are for 2026/27, 2025/26, 2024/25, 2023/24\n',
    );
  });
});

describe('saferplan plan overview, round and update', () => {
  const slug = 'westmere';
  const plan = ['--partnership', slug, '--period', '2024/25'];
  const named = '"Westmere plan" for 2024/25';
  let planId: number;
  const actionIds = new Map<string, number>();

  beforeAll(async () => {
    await services.partnerships.create(COMMAND_LINE, {
      name: 'Westmere CSP',
      slug,
      type: 'unitary',
      areas: '',
    });
    const file = resolve(import.meta.dirname, '../../samples/action-plan.csv');
    const imported = await services.planFiles.importFile(
      COMMAND_LINE,
      slug,
      { title: 'Westmere plan', period: '2024/25' },
      { filename: 'action-plan.csv', content: readFileSync(file) },
    );
    planId = imported.plan.id;
    const full = await services.plans.get(COMMAND_LINE, slug, planId);
    for (const a of full.themes.flatMap((t) => t.actions)) actionIds.set(a.number, a.id);
  });

  const latestUpdate = async (number: string) =>
    (await services.updates.list(COMMAND_LINE, slug, planId, actionIds.get(number) ?? 0))
      .updates[0];

  it(
    'opens a round, shows who has updated, and closes and reopens it',
    { timeout: 60_000 },
    async () => {
      const round = ['plan', 'round'];
      const opened = await saferplan(
        [...round, 'open', ...plan, '--month', '2024-12', '--deadline', '2025-01-15'],
        url,
      );
      expect(opened.stderr).toBe('');
      expect(opened.code).toBe(0);
      expect(opened.stdout).toBe(
        `Opened the December 2024 update round of the plan ${named}: updates are due by 15 January 2025.\n`,
      );
      await services.updates.post(COMMAND_LINE, slug, planId, actionIds.get('1.2') ?? 0, {
        month: '2024-12',
        status: 'on-hold',
        narrative: 'The trainer is off sick.',
      });

      const [again, early, unknown, shown] = await Promise.all([
        saferplan(
          [...round, 'open', ...plan, '--month', '2024-12', '--deadline', '2025-01-31'],
          url,
        ),
        saferplan(
          [...round, 'open', ...plan, '--month', '2025-01', '--deadline', '2024-12-31'],
          url,
        ),
        saferplan([...round, 'show', ...plan, '--month', '2024-11'], url),
        saferplan([...round, 'show', ...plan, '--month', '2024-12'], url),
      ]);
      expect(again.code).toBe(1);
      expect(again.stderr).toBe(
        'Error: This plan already has an update round for that month (--month)\n',
      );
      expect(early.code).toBe(1);
      expect(early.stderr).toBe(
        'Error: Deadline must be in or after the reporting month (--deadline)\n',
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe(
        `Error: the plan ${named} has no update round for November 2024 (--month): its rounds are for 2024-12\n`,
      );
      expect(shown.stderr).toBe('');
      expect(shown.code).toBe(0);
      const lines = shown.stdout.trimEnd().split('\n');
      expect(lines.slice(0, 3)).toEqual([
        `The December 2024 update round of the plan ${named} is open: updates are due by 15 January 2025.`,
        '1 of 10 actions updated.',
        '',
      ]);
      expect(lines.slice(3)).toHaveLength(10);
      expect(lines[3]).toBe(
        '1.1  not updated        Run a joint licensing patrol with police and council officers on the busiest weekend nights  Leads: Council licensing, Police',
      );
      expect(lines[4]).toBe(
        '1.2  updated (On hold)  Train bar and takeaway staff to spot and help people who are vulnerable late at night  Leads: Council licensing, VCS',
      );
      expect(lines.filter((l) => / {2}not updated {2}/.test(l))).toHaveLength(9);

      const closed = await saferplan([...round, 'close', ...plan, '--month', '2024-12'], url);
      expect(closed.stderr).toBe('');
      expect(closed.stdout).toBe(
        `Closed the December 2024 update round of the plan ${named}: leads are no longer asked for its updates.\n`,
      );
      const [closedAgain, listed, overview] = await Promise.all([
        saferplan([...round, 'close', ...plan, '--month', '2024-12'], url),
        saferplan([...round, 'list', ...plan], url),
        saferplan(['plan', 'overview', ...plan], url),
      ]);
      expect(closedAgain.code).toBe(0);
      expect(closedAgain.stdout).toBe(
        `Nothing to do: the December 2024 update round of the plan ${named} is already closed.\n`,
      );
      const [stored] = await services.rounds.list(COMMAND_LINE, slug, planId);
      expect(stored?.closedAt).not.toBeNull();
      expect(listed.stdout).toBe(
        `2024-12  December 2024  due by 15 January 2025  closed on ${ukDate(stored?.closedAt)}\n`,
      );
      // With no round open, no action is counted as not updated.
      expect(overview.stdout).toContain(
        'No update round is open, so no action is counted as not updated.\n',
      );
      expect(overview.stdout).toMatch(/ {2}12 {12}- {2}Whole plan\n$/);

      const reopened = await saferplan([...round, 'reopen', ...plan, '--month', '2024-12'], url);
      expect(reopened.stdout).toBe(
        `Reopened the December 2024 update round of the plan ${named}: leads who have not updated are asked again.\n`,
      );
      expect((await services.rounds.list(COMMAND_LINE, slug, planId))[0]?.closedAt).toBeNull();
    },
  );

  it(
    'posts progress updates as the command line, with statuses as ids or words',
    { timeout: 60_000 },
    async () => {
      const update = ['plan', 'update', ...plan, '--month', '2024-12'];
      const [piped, badStatus, noAction, badMonth] = await Promise.all([
        saferplan(
          [...update, '--action', '1.1', '--status', 'In progress'],
          url,
          'Patrols ran on every weekend in December.\n',
        ),
        saferplan([...update, '--action', '1.1', '--status', 'nearly done'], url),
        saferplan([...update, '--action', '9.9', '--status', 'complete', '--narrative', ''], url),
        saferplan(
          [
            'plan',
            'update',
            ...plan,
            '--month',
            '2024-13',
            '--action',
            '1.1',
            '--status',
            'complete',
          ],
          url,
        ),
      ]);
      expect(piped.stderr).toBe('');
      expect(piped.code).toBe(0);
      expect(piped.stdout).toMatch(
        new RegExp(
          `^Posted the December 2024 update to action 1\\.1 of the plan ${named}: In progress, update id \\d+\\.\\n$`,
        ),
      );
      expect(badStatus.code).toBe(2);
      expect(badStatus.stderr).toBe(
        'Error: --status must be not-started, in-progress, complete, on-hold or off-track (or as the pages write them, like "In progress"), not "nearly done"\n',
      );
      expect(noAction.code).toBe(1);
      expect(noAction.stderr).toBe(`Error: the plan ${named} has no action 9.9 (--action)\n`);
      expect(badMonth.code).toBe(1);
      expect(badMonth.stderr).toBe('Error: Month must be between 01 and 12 (--month)\n');
      expect(await latestUpdate('1.1')).toMatchObject({
        month: '2024-12',
        status: 'in-progress',
        narrative: 'Patrols ran on every weekend in December.',
        author: 'Command line',
      });

      // --narrative is used and standard input left unread; the id spelling works too.
      const given = await saferplan(
        [...update, '--action', '2.3', '--status', 'not-started', '--narrative', 'Awaiting print'],
        url,
        'not this',
      );
      expect(given.stderr).toBe('');
      expect(given.code).toBe(0);
      expect(await latestUpdate('2.3')).toMatchObject({
        status: 'not-started',
        narrative: 'Awaiting print',
        author: 'Command line',
      });
    },
  );

  it('shows where the plan stands per theme and in total, as text and as JSON', async () => {
    const [text, json, badFormat] = await Promise.all([
      saferplan(['plan', 'overview', ...plan], url),
      saferplan(['plan', 'overview', ...plan, '--format', 'json'], url),
      saferplan(['plan', 'overview', ...plan, '--format', 'xml'], url),
    ]);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { date: string };
    const themes = (await services.plans.get(COMMAND_LINE, slug, planId)).themes;
    // 1.1, 1.2 and 2.3 have December updates; every dated milestone is long past.
    const counts = [
      [3, 1, 1, 1, 4, 1],
      [3, 0, 0, 3, 6, 2],
      [2, 1, 1, 0, 1, 2],
      [2, 0, 1, 1, 1, 2],
    ];
    const asCounts = ([actions, complete, inProgress, stuck, overdue, notUpdated]: number[]) => ({
      actions,
      complete,
      inProgress,
      notStartedOnHoldOrOffTrack: stuck,
      overdueMilestones: overdue,
      notUpdated,
    });
    expect(report).toEqual({
      partnership: slug,
      plan: { id: planId, title: 'Westmere plan', period: '2024/25', status: 'draft' },
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
      round: { month: '2024-12', deadline: '2025-01-15' },
      themes: themes.map((t, i) => ({
        id: t.id,
        type: t.type,
        title: t.title,
        ...asCounts(counts[i] ?? []),
      })),
      total: asCounts([10, 2, 3, 5, 12, 7]),
    });
    expect(themes.map((t) => t.type)).toEqual([
      'priority',
      'priority',
      'priority',
      'cross-cutting',
    ]);

    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        `Where the plan ${named} (draft) stands on ${ukDate(report.date)}.`,
        'Update round open: December 2024, updates due by 15 January 2025.',
        '',
        'Complete  In progress  Not started/on hold/off track  Overdue milestones  Not updated  Priority or theme',
        '       1            1                              1                   4            1  Safer town centres at night',
        '       0            0                              3                   6            2  Domestic abuse',
        '       1            1                              0                   1            2  Young people and exploitation',
        '       0            1                              1                   1            2  Listening to communities',
        '       2            3                              5                  12            7  Whole plan',
        '',
      ].join('\n'),
    );
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toBe('Error: --format must be text or json, not "xml"\n');
  });
});

describe('saferplan indicators', () => {
  const slug = 'northmoor';
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'saferplan-indicators-'));
    await services.partnerships.create(COMMAND_LINE, {
      name: 'Northmoor CSP',
      slug,
      type: 'district',
      areas: '',
    });
    const plan = await services.plans.create(COMMAND_LINE, slug, {
      title: 'Northmoor plan',
      period: '2024/25',
    });
    for (const title of [
      'Safer town centres at night',
      'Domestic abuse',
      'Listening to communities',
    ])
      await services.themes.add(COMMAND_LINE, slug, plan.id, { type: 'priority', title });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad file by row and column, then imports the sample and lists it', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'Indicator,Month,Value,Theme\nASB incidents,2024-13,4,\nASB incidents,2024-02,lots,Parks\n',
    );
    const refused = await saferplan(
      ['indicators', 'import', '--partnership', slug, '--file', bad],
      url,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      [
        'Error: nothing was imported: fix these 3 problems in bad.csv and import it again',
        'Error: Row 2, Month: Month must be a real month written like 2024-09',
        'Error: Row 3, Value: Enter a number, like 1,234 or 12.5',
        'Error: Row 3, Theme: There is no theme called Parks in the partnership’s plans: use a theme’s title as the plan gives it, or leave Theme blank',
        '',
      ].join('\n'),
    );
    expect(await services.indicators.list(COMMAND_LINE, slug)).toEqual([]);

    const sample = resolve(import.meta.dirname, '../../samples/indicators.csv');
    const done = await saferplan(
      ['indicators', 'import', '--partnership', slug, '--file', sample],
      url,
    );
    expect(done.stderr).toBe('');
    expect(done.stdout).toContain('Indicators: 7, of which new: 7');
    expect(done.stdout).toContain('Figures added: 336');
    const made = await services.indicators.list(COMMAND_LINE, slug);
    expect(made).toHaveLength(7);
    const events = await services.db
      .selectFrom('audit_events')
      .select(['actor_label', 'entity_type'])
      .where('summary', 'like', 'Imported 48 monthly values of %')
      .execute();
    expect(events.filter((e) => e.actor_label === 'Command line')).toHaveLength(7);

    const list = await saferplan(['indicators', 'list', '--partnership', slug], url);
    expect(list.code).toBe(0);
    const asb = made.find((i) => i.name === 'ASB incidents');
    expect(list.stdout).toContain('Safer town centres at night (Northmoor plan 2024/25)\n');
    expect(list.stdout).toContain(
      `  ASB incidents: count, an increase is bad; 48 months, April 2021 to March 2025; id ${asb?.id ?? 0}\n`,
    );
  });

  it('writes the exception report with the page’s figures, or says what is missing', async () => {
    const [plan] = await services.plans.list(COMMAND_LINE, slug);
    const args = ['report', 'exception', '--partnership', slug, '--plan', '2024-25'];
    const json = await saferplan(
      [...args, '--period', '2025-03', '--format', 'json', '--out', '-'],
      url,
    );
    expect(json.code).toBe(0);
    expect(json.stderr).toBe(
      'Exception report of "Northmoor plan" 2024/25 for April 2024 to March 2025 (not saved: made from today’s figures and updates, without commentary).\n',
    );
    const page = await services.reports.preview(COMMAND_LINE, slug, {
      planId: plan?.id,
      periodEnd: '2025-03',
    });
    const written = JSON.parse(json.stdout) as typeof page;
    expect(written.themes).toEqual(page.themes);
    const incidents = written.themes[1]?.indicators.find(
      (i) => i.name === 'Domestic abuse incidents',
    );
    expect(incidents?.complete).toBe(true);

    const html = join(dir, 'report.html');
    const wrote = await saferplan(
      [...args, '--period', '2025-03', '--format', 'html', '--out', html],
      url,
    );
    expect(wrote.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('Current rolling year (Apr 24 – end Mar 25)');
    const again = await saferplan(
      [...args, '--period', '2025-03', '--format', 'html', '--out', html],
      url,
    );
    expect(again).toMatchObject({ code: 1 });
    expect(again.stderr).toContain('already exists (--out)');

    const empty = await saferplan(
      [...args, '--period', '2019-03', '--format', 'json', '--out', '-'],
      url,
    );
    expect(empty).toMatchObject({ code: 1, stdout: '' });
    expect(empty.stderr).toContain(
      'Error: no indicator of the plan has a figure for April 2018 to March 2019 or the year before (--period)',
    );
    expect(empty.stderr).toContain('their latest figure is for March 2025');
    const future = await saferplan(
      [...args, '--period', '2999-01', '--format', 'json', '--out', '-'],
      url,
    );
    expect(future.stderr).toBe(
      'Error: The rolling year must end this month or earlier (--period)\n',
    );
    const draft = await saferplan(
      [...args, '--period', '2025-03', '--format', 'json', '--out', '-', '--draft'],
      url,
    );
    expect(draft.stderr).toBe(
      'Error: there is no draft report of 2024/25 for the rolling year to March 2025 (--draft)\n',
    );
  });

  it('exports the figures in the import’s columns, refusing to replace a file', async () => {
    const out = join(dir, 'northmoor.xlsx');
    const base = ['indicators', 'export', '--partnership', slug];
    const written = await saferplan([...base, '--format', 'xlsx', '--out', out], url);
    expect(written.stderr).toBe('');
    expect(written.stdout).toMatch(
      new RegExp(
        `^Wrote 336 figures of Northmoor CSP's indicators to ${out} as an Excel workbook: [\\d,]+ bytes\\.\\n$`,
      ),
    );
    const again = await saferplan([...base, '--format', 'xlsx', '--out', out], url);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `Error: ${out} already exists (--out): give another file name, or add --force to replace it\n`,
    );
    const badFormat = await saferplan([...base, '--format', 'pdf', '--out', '-'], url);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be csv or xlsx, not "pdf"');
    const csv = await saferplan([...base, '--format', 'csv', '--out', '-'], url);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      '\uFEFFIndicator,Month,Value,Theme,Source,Unit,Polarity,Noun,Months',
    );
    // Imported back, nothing changes.
    const result = await services.indicatorFiles.importFile(COMMAND_LINE, slug, {
      filename: 'northmoor.xlsx',
      content: readFileSync(out),
    });
    expect(result.counts).toMatchObject({ values: 336, added: 0, changed: 0, unchanged: 336 });
  });
});

describe('saferplan indicators county', () => {
  beforeAll(async () => {
    const s = services;
    await s.partnerships.create(COMMAND_LINE, {
      name: 'Eastmarsh County CSP',
      slug: 'eastmarsh',
      type: 'county',
      areas: '',
    });
    for (const [slug, name, figure] of [
      ['fenby', 'Fenby CSP', '45'],
      ['gorley', 'Gorley CSP', '31'],
    ] as const) {
      await s.partnerships.create(COMMAND_LINE, {
        name,
        slug,
        type: 'district',
        parent: 'eastmarsh',
        areas: '',
      });
      const made = await s.indicators.create(COMMAND_LINE, slug, {
        name: slug === 'fenby' ? 'ASB incidents' : 'asb  Incidents',
        unit: 'count',
        noun: 'incidents',
        polarity: 'increase-bad',
      });
      const months: Record<string, string> = {};
      for (let m = 1; m <= 12; m++) {
        months[`2023-${String(m).padStart(2, '0')}`] = '40';
        months[`2024-${String(m).padStart(2, '0')}`] = figure;
      }
      await s.indicators.saveMonths(COMMAND_LINE, slug, made.id, months);
    }
  });

  it('prints the districts’ rolling years, the total and its direction, as the page shows them', async () => {
    const args = ['indicators', 'county', '--partnership', 'eastmarsh', '--indicator'];
    const text = await saferplan([...args, 'asb incidents', '--end', '2024-12'], url);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n').map((l) => l.trimEnd());
    expect(lines[0]).toBe(
      'ASB incidents (count) in 2 districts of Eastmarsh County CSP: the rolling year to December 2024 against the year before.',
    );
    expect(lines[2]).toMatch(
      /^District +Previous rolling year \(Jan 23 – end Dec 23\) +Current rolling year \(Jan 24 – end Dec 24\) +Change +Direction$/,
    );
    expect(lines.slice(3, 6).map((l) => l.split(/ {2,}/))).toEqual([
      ['Fenby CSP', '480', '540', '12.5% or 60 incident increase', 'Worse'],
      ['Gorley CSP', '480', '372', '-22.5% or 108 incident decrease', 'Better'],
      ['Total', '960', '912', '-5.0% or 48 incident decrease', 'Better'],
    ]);

    const json = await saferplan(
      [...args, 'ASB incidents', '--end', '2024-11', '--format', 'json'],
      url,
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(report.previousWindow).toEqual({
      from: '2022-12',
      to: '2023-11',
      label: 'Dec 22 – end Nov 23',
    });
    expect(report.total).toEqual({
      previous: null,
      current: '916',
      previousText: 'incomplete (2 districts short of months)',
      currentText: '916',
      change: null,
      percent: null,
      changeText: 'incomplete',
      direction: null,
    });
    expect(report.notes).toEqual([
      'There is no total for the previous rolling year (Dec 22 – end Nov 23), since a total needs every month of every district: Fenby CSP has 11 of 12 months; Gorley CSP has 11 of 12 months.',
    ]);
  });

  it('names the option to fix', async () => {
    const base = ['indicators', 'county', '--indicator', 'ASB incidents'];
    const [district, noEnd, future] = await Promise.all([
      saferplan([...base, '--partnership', 'fenby', '--end', '2024-12'], url),
      saferplan(
        ['indicators', 'county', '--partnership', 'eastmarsh', '--indicator', 'Burglary'],
        url,
      ),
      saferplan([...base, '--partnership', 'eastmarsh', '--end', '2999-01'], url),
    ]);
    expect(district).toMatchObject({ code: 1, stdout: '' });
    expect(district.stderr).toBe(
      "Error: Fenby CSP is a district partnership: only a county partnership compares its districts' indicators (--partnership)\n",
    );
    expect(noEnd.code).toBe(2);
    expect(noEnd.stderr).toBe('Error: --end is required\n');
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(
      /^Error: The rolling year must not end in the future: enter \w+ \d{4} or an earlier month \(--end\)\n$/,
    );
    const unknown = await saferplan(
      [
        'indicators',
        'county',
        '--partnership',
        'eastmarsh',
        '--indicator',
        'Burglary',
        '--end',
        '2024-12',
      ],
      url,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'Error: no two districts of Eastmarsh County CSP share an indicator called "Burglary" (--indicator): they share "ASB incidents"\n',
    );
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
