import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrator, pendingMigrations } from '../src/db/migrate.js';
import { openEmptyDatabase } from './helpers/test-database.js';
import { testEngine } from './helpers/test-database.js';

describe(`migrations on ${testEngine.engine}`, () => {
  it('build the whole schema from empty, then have nothing left to do', async () => {
    const database = await openEmptyDatabase();
    try {
      const all = (await migrator(database.db).getMigrations()).map((migration) => migration.name);
      expect(await pendingMigrations(database.db)).toEqual(all);
      expect(await migrateToLatest(database.db)).toEqual(all);
      expect(await migrateToLatest(database.db)).toEqual([]);
      expect(await pendingMigrations(database.db)).toEqual([]);
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(database.db);
      expect(tables.rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['source', 'actor', 'affiliation', 'place', 'event', 'participant', 'measure', 'measure_response', 'claim', 'claim_contradiction', 'citation']),
      );
    } finally {
      await database.close();
    }
  });

  it('guard what the database can guard', async () => {
    const database = await openEmptyDatabase();
    try {
      await migrateToLatest(database.db);
      const insert = (values: Record<string, unknown>) =>
        database.db
          .insertInto('event')
          .values({ slug: 'e', title: 't', summary: 's', category: 'OTHER', date_earliest: '2025-01-01', date_latest: '2025-01-31', date_precision: 'MONTH', ...values })
          .execute();
      await expect(insert({ date_earliest: '2025-02-01' })).rejects.toThrow(/check/);
      await expect(insert({ date_earliest: '2024-01-01', date_latest: '2025-01-02', date_precision: 'YEAR' })).rejects.toThrow(/event_date_width_check/);
      await expect(insert({ fatalities: -1 })).rejects.toThrow(/check/);
      await expect(insert({ category: 'RIOT' })).rejects.toThrow(/check/);
      await expect(insert({ slug: 'Not A Slug' })).rejects.toThrow(/check/);
      await expect(insert({ attestation: 'RUMOURED' } as never)).rejects.toThrow(/check/);
      await insert({});
      await expect(insert({})).rejects.toThrow(/unique|duplicate/);
    } finally {
      await database.close();
    }
  });

  it('roll back to empty', async () => {
    const database = await openEmptyDatabase();
    try {
      await migrateToLatest(database.db);
      const steps = (await migrator(database.db).getMigrations()).length;
      for (let i = 0; i < steps; i++) expect((await migrator(database.db).migrateDown()).error).toBeUndefined();
      expect(await pendingMigrations(database.db)).toHaveLength(steps);
      expect(await migrateToLatest(database.db)).toHaveLength(steps);
    } finally {
      await database.close();
    }
  });
});
