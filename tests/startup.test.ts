import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connect.js';
import { isMigrated, migrateToLatest } from '../src/db/migrate.js';
import { findSeedDigest } from '../src/db/queries/seed-state.js';
import { seedDigest } from '../src/db/seed-digest.js';
import { readSeeds } from '../src/db/seed-files.js';
import { SeedValidationError } from '../src/db/seed-problems.js';
import { prepareDatabase, type SeedSource, StartupStatus } from '../src/db/startup.js';
import { openEmptyDatabase } from './helpers/test-database.js';

const silent = pino({ level: 'silent' });
const seeds = readSeeds();
const opened: Database[] = [];
afterEach(async () => Promise.all(opened.splice(0).map((database) => database.close())));

async function emptyDatabase(): Promise<Database> {
  const database = await openEmptyDatabase();
  opened.push(database);
  return database;
}

/** The real seeds, counting how often they are parsed. */
function countingSource(digest = seeds.digest): SeedSource & { reads: number } {
  return {
    digest,
    reads: 0,
    async read() {
      this.reads++;
      return seeds;
    },
  };
}

// The serving database is the one migrated (as on the embedded engine), whichever engine the run uses.
const prepare = (database: Database, source: SeedSource, status = new StartupStatus()) =>
  prepareDatabase({ target: { engine: 'pglite', dataDir: null }, database, seeds: source, logger: silent, status });

describe('start-up', () => {
  it('migrates and seeds an empty database, then a warm start parses no seeds and runs no migrator', async () => {
    const database = await emptyDatabase();
    expect(await isMigrated(database.db)).toBe(false);

    const cold = countingSource();
    const status = new StartupStatus();
    await prepare(database, cold, status);
    expect(status.ready).toBe(true);
    expect(cold.reads).toBe(1);
    expect(await isMigrated(database.db)).toBe(true);
    expect(await findSeedDigest(database.db)).toBe(seeds.digest);

    const warm = countingSource();
    await prepare(database, warm);
    expect(warm.reads).toBe(0);
  });

  it('reads the seeds when their bytes changed, and leaves data it did not load alone', async () => {
    const database = await emptyDatabase();
    await prepare(database, countingSource());
    const changed = countingSource('a-different-digest');
    await prepare(database, changed);
    expect(changed.reads).toBe(1);
    // Only an empty knowledge base is loaded: the old digest stays until `db:seed --reset`.
    expect(await findSeedDigest(database.db)).toBe(seeds.digest);
  });

  it('checks the seeds before migrating anything: bad seeds leave an empty database empty', async () => {
    const database = await emptyDatabase();
    const bad: SeedSource = {
      digest: 'bad',
      read: async () => {
        throw new SeedValidationError([{ file: 'events.yaml', message: 'broken on purpose' }]);
      },
    };
    await expect(prepare(database, bad)).rejects.toBeInstanceOf(SeedValidationError);
    expect(await isMigrated(database.db)).toBe(false);
  });

  it('counts a database with a migration missing, or one it does not know, as not migrated', async () => {
    const database = await emptyDatabase();
    await migrateToLatest(database.db);
    expect(await isMigrated(database.db)).toBe(true);
    const { rows } = await sql<{ name: string }>`delete from kysely_migration where name = (select max(name) from kysely_migration) returning name`.execute(database.db);
    expect(await isMigrated(database.db)).toBe(false);
    await sql`insert into kysely_migration (name, timestamp) values (${rows[0]!.name}, now()::text)`.execute(database.db);
    expect(await isMigrated(database.db)).toBe(true);
    await sql`insert into kysely_migration (name, timestamp) values ('2099_01_01_00_00_00_from_the_future', now()::text)`.execute(database.db);
    expect(await isMigrated(database.db)).toBe(false);
  });
});

describe('the seed digest', () => {
  it('is what the validator reports, computed from the bytes alone', () => {
    expect(seedDigest()).toBe(seeds.digest);
    expect(seeds.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
