import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// A number per partnership that moves on with every change to what its plan pages show, so a
// rendered page can be kept until its data changes, on every server behind a load balancer.
// Triggers move it, so no write can forget to. Partnership 0 stands for the agencies, which
// every partnership's pages name.
//
// On PostgreSQL the triggers are deferred to commit: a transaction takes the number's row lock
// last, when it holds every other lock it will need, so writers queue briefly there and never
// wait on one another in a cycle.

/** Each table, and how a row of it finds its partnership (`r` is the row). */
const SOURCES: [table: string, partnership: string][] = [
  ['agencies', '0'],
  ['partnerships', 'r.id'],
  ['partnership_agencies', 'r.partnership_id'],
  ['groups', 'r.partnership_id'],
  ['group_members', '(select partnership_id from groups where id = r.group_id)'],
  ['plans', 'r.partnership_id'],
  ['plan_drivers', '(select partnership_id from plans where id = r.plan_id)'],
  ['plan_risks', '(select partnership_id from plans where id = r.plan_id)'],
  ['themes', '(select partnership_id from plans where id = r.plan_id)'],
  [
    'theme_priority_actions',
    '(select p.partnership_id from themes t join plans p on p.id = t.plan_id where t.id = r.theme_id)',
  ],
  ['actions', '(select partnership_id from plans where id = r.plan_id)'],
  [
    'action_leads',
    '(select p.partnership_id from actions a join plans p on p.id = a.plan_id where a.id = r.action_id)',
  ],
  [
    'milestones',
    '(select p.partnership_id from actions a join plans p on p.id = a.plan_id where a.id = r.action_id)',
  ],
  [
    'action_updates',
    '(select p.partnership_id from actions a join plans p on p.id = a.plan_id where a.id = r.action_id)',
  ],
  ['update_rounds', '(select partnership_id from plans where id = r.plan_id)'],
];

const EVENTS = ['insert', 'update', 'delete'] as const;

const UPSERT = (pid: string) => `insert into page_versions (partnership_id, version)
  select ${pid}, 1 where ${pid} is not null
  on conflict (partnership_id) do update set version = page_versions.version + 1`;

/** The row's partnership; null when its parent has gone, whose own deletion moved the number. */
const of = (partnership: string, row: 'new' | 'old') => partnership.replace(/\br\./g, `${row}.`);

// PostgreSQL: once per partnership per transaction. Every update of one row within a transaction
// leaves a version of it behind until the commit, so a bulk load moving it per row would slow
// down with every row.
const MOVE_ONCE = `create function page_version_move(pid integer) returns void language plpgsql as $$
  begin
    if pid is null or current_setting('saferplan.page_version_' || pid, true) = 'moved' then
      return;
    end if;
    perform set_config('saferplan.page_version_' || pid, 'moved', true);
    ${UPSERT('pid')};
  end $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('page_versions')
    .addColumn('partnership_id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  if (isPostgres(db)) await sql.raw(MOVE_ONCE).execute(db);
  for (const [table, partnership] of SOURCES) {
    if (isPostgres(db)) {
      await sql
        .raw(
          `create function page_version_${table}() returns trigger language plpgsql as $$
          begin
            if tg_op = 'DELETE' then perform page_version_move(${of(partnership, 'old')});
            else perform page_version_move(${of(partnership, 'new')});
            end if;
            return null;
          end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create constraint trigger page_version after insert or update or delete on ${table}
          deferrable initially deferred for each row execute function page_version_${table}()`,
        )
        .execute(db);
    } else {
      for (const event of EVENTS) {
        await sql
          .raw(
            `create trigger page_version_${table}_${event} after ${event} on ${table}
            begin ${UPSERT(`(${of(partnership, event === 'delete' ? 'old' : 'new')})`)}; end`,
          )
          .execute(db);
      }
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table] of SOURCES) {
    if (isPostgres(db)) {
      await sql.raw(`drop trigger page_version on ${table}`).execute(db);
      await sql.raw(`drop function page_version_${table}()`).execute(db);
    } else {
      for (const event of EVENTS) {
        await sql.raw(`drop trigger page_version_${table}_${event}`).execute(db);
      }
    }
  }
  if (isPostgres(db)) await sql.raw('drop function page_version_move(integer)').execute(db);
  await db.schema.dropTable('page_versions').execute();
}
