// Fills an empty Postgres database with an invented knowledge base, for benchmarks:
//   DATABASE_URL=postgres://… npm run gen -- --events 1000000 --seed 1
// Migrates first. Refuses a database holding the seeds or any other data; one
// holding an earlier generated set is emptied and generated again. All in one
// transaction: an interrupted run leaves the database as it was.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfigOrExit } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { helpers, sizesFor, steps, TABLES } from './steps.js';

/** The seed_state digest of a generated set: the server then treats it as data other than the seeds and leaves it be. */
const DIGEST_PREFIX = 'generated:';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' } },
});
const events = Number(values.events);
const seed = Number(values.seed);
if (!Number.isInteger(events) || events < 100 || !Number.isInteger(seed) || seed < 0) {
  console.error('usage: npm run gen -- --events N (at least 100) --seed S (a non-negative integer)');
  process.exit(1);
}

const config = loadConfigOrExit();
if (config.database.engine !== 'postgres') {
  console.error('npm run gen needs a Postgres server: set DATABASE_URL=postgres://… to an empty database');
  process.exit(1);
}

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

const database = await openDatabase(config.database);
try {
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) console.log(`applied ${applied.length} migration(s)`);
} finally {
  await database.close();
}

const client = new pg.Client({ connectionString: config.database.url });
await client.connect();
const one = async (text: string) => (await client.query(text)).rows[0];
try {
  const state = await one(`select digest from seed_state`);
  const holds = await one(`select ${TABLES.filter((t) => t !== 'seed_state').map((t) => `exists (select from ${t})`).join(' or ')} as any`);
  if (holds.any && !String(state?.digest ?? '').startsWith(DIGEST_PREFIX)) {
    console.error(
      state?.digest
        ? `refusing: ${database.location} holds the seeded knowledge base; generate into an empty database`
        : `refusing: ${database.location} holds data; generate into an empty database`,
    );
    process.exit(1);
  }

  const sizes = sizesFor(events);
  const plan = steps(sizes);
  console.log(
    `generating ${events} events, ${sizes.actors} actors (${sizes.states} states), ${sizes.sources} sources, ` +
      `${sizes.claims} claims, seed ${seed} into ${database.location}`,
  );
  await client.query('begin');
  await client.query(`select pg_advisory_xact_lock(hashtext('crisis-kb:seeds'))`);
  if (holds.any) {
    console.log(`  emptying the earlier generated set (${state.digest})`);
    await client.query(`truncate ${TABLES.join(', ')} restart identity`);
  }
  // Foreign keys are checked by construction, not by a trigger per row (that
  // needs a superuser; without one the load is just slower). Secondary indexes
  // are dropped and built once at the end, which is several times faster than
  // maintaining them row by row.
  const superuser = (await one(`select rolsuper from pg_roles where rolname = current_user`)).rolsuper as boolean;
  if (superuser) await client.query(`set local session_replication_role = replica`);
  await client.query(`set local maintenance_work_mem = '256MB'`);
  await client.query(`set local work_mem = '64MB'`);
  const indexes: { indexname: string; indexdef: string }[] = (
    await client.query(
      `select indexname, indexdef from pg_indexes
       where schemaname = current_schema() and tablename = any($1)
         and indexname not in (select conname from pg_constraint where contype in ('p', 'u', 'x'))`,
      [TABLES],
    )
  ).rows;
  for (const { indexname } of indexes) await client.query(`drop index ${pg.escapeIdentifier(indexname)}`);
  for (const statement of helpers(seed)) await client.query(statement);

  const total = plan.length + 2;
  const progress = (done: number, label: string) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stdout.write(`  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label} (${elapsed()})\n`);
  };
  for (const [index, step] of plan.entries()) {
    const result = await client.query(step.sql);
    progress(index + 1, `${step.table}: ${result.rowCount} rows`);
  }

  for (const table of ['source', 'actor', 'place', 'event', 'claim']) {
    await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
  }
  const orphans = await one(`select
      (select count(*) from participant p where not exists (select from actor a where a.id = p.actor_id)) +
      (select count(*) from measure_response r where not exists (select from event e where e.id = r.event_id)) +
      (select count(*) from citation c where c.subject_measure_id is not null and not exists (select from measure m where m.id = c.subject_measure_id)) as n`);
  if (Number(orphans.n) > 0) throw new Error(`${orphans.n} rows refer to records that do not exist`);
  progress(plan.length + 1, 'references checked');

  for (const { indexdef } of indexes) await client.query(indexdef);
  // Triggers keep the counts by date, but not under session_replication_role = replica.
  await client.query(`select event_date_count_rebuild()`);
  await client.query(`insert into seed_state (digest) values ($1)`, [`${DIGEST_PREFIX}events=${events}:seed=${seed}`]);
  await client.query('commit');
  progress(total, `${indexes.length} indexes built, committed`);

  // Index-only scans need the visibility map, and the planner its statistics.
  await client.query(`vacuum (analyze) ${TABLES.join(', ')}`);
  console.log(`done in ${elapsed()}: vacuumed and analysed`);
} catch (error) {
  await client.query('rollback').catch(() => {});
  throw error;
} finally {
  await client.end();
}
