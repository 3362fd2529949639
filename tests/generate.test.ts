import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadSeeds } from '../src/db/seed.js';
import { readSeeds } from '../src/db/seed-files.js';
import { openEmptyDatabase, testEngine } from './helpers/test-database.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** `npm run gen` itself, on a database of the test's own. */
async function generate(url: string, events: number, seed: number) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/generate/main.ts', '--events', String(events), '--seed', String(seed)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
  });
}

// The generator runs its SQL inside a Postgres server; the embedded engine has no URL to give it.
describe.skipIf(testEngine.engine !== 'postgres')('the synthetic knowledge base (npm run gen)', () => {
  it('fills an empty database with the shape the benchmark needs, the same for the same seed, and the server leaves it be', async () => {
    const database = await openEmptyDatabase();
    try {
      const digest = async () =>
        (
          await sql<{ digest: string }>`select md5(
            (select string_agg(e::text, ',' order by id) from (select id, slug, title, date_earliest, date_latest, date_precision from event) e) ||
            (select string_agg(p::text, ',' order by event_id, position) from participant p) ||
            (select string_agg(c::text, ',' order by id) from (select id, source_id, quote, subject_event_id, subject_measure_id from citation) c)) as digest`.execute(database.db)
        ).rows[0]!.digest;
      await generate(database.location, 2000, 3);
      const first = await digest();
      await generate(database.location, 2000, 3);
      expect(await digest()).toBe(first);

      const shape = (
        await sql<Record<string, number>>`select
          (select count(*) from event) as events,
          (select count(*) from actor) as actors,
          (select count(*) from actor_alias) as aliases,
          (select min(n) from (select count(*) as n from participant group by event_id) p) as min_participants,
          (select max(n) from (select count(*) as n from participant group by event_id) p) as max_participants,
          (select count(*) from measure) as measures,
          (select count(*) from measure_response) as responses,
          (select count(*) from claim_contradiction) as contradictions,
          (select count(*) from citation) as citations,
          (select count(distinct date_precision) from event) as precisions,
          (select count(*) from event where date_earliest < '2000-01-01' or date_latest > '2025-12-31') as out_of_range,
          (select count(*) from seed_state where digest like 'generated:%') as marked,
          (select count(*) from (
            (select date_earliest, date_latest, date_precision, events from event_date_count
             except select date_earliest, date_latest, date_precision, count(*) from event group by 1, 2, 3)
            union all
            (select date_earliest, date_latest, date_precision, count(*) from event group by 1, 2, 3
             except select date_earliest, date_latest, date_precision, events from event_date_count)) as differing) as miscounted_dates`.execute(database.db)
      ).rows[0]!;
      expect(shape).toMatchObject({ events: 2000, actors: 200, min_participants: 1, max_participants: 4, precisions: 3, out_of_range: 0, marked: 1, miscounted_dates: 0 });
      expect(shape.aliases).toBeGreaterThan(50);
      expect(shape.measures).toBeGreaterThan(100);
      expect(shape.measures).toBeLessThan(300);
      expect(shape.responses).toBeGreaterThan(shape.measures!);
      expect(shape.contradictions).toBeGreaterThan(0);
      expect(shape.citations! / 2000).toBeGreaterThan(1.5);

      // What the server does at start: the generated set is other data, never seeded over.
      expect((await loadSeeds(database.db, readSeeds(), 'if-empty')).status).toBe('other-data');
    } finally {
      await database.close();
    }
  });

  it('refuses a database holding the seeded knowledge base', async () => {
    const database = await openEmptyDatabase();
    try {
      await generate(database.location, 100, 1).catch(() => {}); // migrates it
      await loadSeeds(database.db, readSeeds(), 'reset');
      await expect(generate(database.location, 100, 1)).rejects.toMatchObject({ stderr: expect.stringContaining('refusing') });
      expect((await sql<{ n: number }>`select count(*)::int as n from event`.execute(database.db)).rows[0]!.n).toBe(readSeeds().events.length);
    } finally {
      await database.close();
    }
  });
});
