import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connect.js';
import type { DB } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { countEvents, countEventsBy, type EventFilter, filteredEvents } from '../src/db/queries/events.js';
import { countRows } from '../src/db/queries/pagination.js';
import { openEmptyDatabase, openSeededDatabase, testEngine } from './helpers/test-database.js';

/** The counts as the triggers keep them, and as counting the events gives them: equal after every statement. */
async function expectCountsInStep(db: Kysely<DB>) {
  const kept = await sql<{ key: string }>`
    select concat_ws(' ', date_earliest, date_latest, date_precision, events) as key from event_date_count order by 1`.execute(db);
  const counted = await sql<{ key: string }>`
    select concat_ws(' ', date_earliest, date_latest, date_precision, count(*)) as key from event group by date_earliest, date_latest, date_precision order by 1`.execute(db);
  expect(kept.rows.map((row) => row.key)).toEqual(counted.rows.map((row) => row.key));
}

/** A deterministic spread of events over 2023–2025 at all three precisions. */
function syntheticEvents(count: number, seed: number) {
  let state = seed;
  const next = (below: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
  return Array.from({ length: count }, (_, index) => {
    const year = 2023 + next(3);
    const month = 1 + next(12);
    const precision = (['DAY', 'MONTH', 'YEAR'] as const)[next(3)]!;
    const pad = (n: number) => String(n).padStart(2, '0');
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const day = 1 + next(lastDay);
    const [earliest, latest] =
      precision === 'DAY'
        ? [`${year}-${pad(month)}-${pad(day)}`, `${year}-${pad(month)}-${pad(day)}`]
        : precision === 'MONTH'
          ? [`${year}-${pad(month)}-01`, `${year}-${pad(month)}-${pad(lastDay)}`]
          : [`${year}-01-01`, `${year}-12-31`];
    return {
      slug: `synthetic-${seed}-${index}`,
      title: `Synthetic ${index}`,
      summary: 'Made by the test.',
      category: 'OTHER',
      date_earliest: earliest,
      date_latest: latest,
      date_precision: precision,
    };
  });
}

describe(`event date counts on ${testEngine.engine}`, () => {
  it('match the seeded events', async () => {
    const database = await openSeededDatabase();
    try {
      await expectCountsInStep(database.db);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from event_date_count`.execute(database.db);
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });

  describe('kept by triggers', () => {
    let database: Database;
    beforeAll(async () => {
      database = await openEmptyDatabase();
      await migrateToLatest(database.db);
    });
    afterAll(() => database.close());

    it('through inserts, updates, deletes, rollbacks and truncation', async () => {
      const { db } = database;
      await db.insertInto('event').values(syntheticEvents(300, 1)).execute();
      await expectCountsInStep(db);
      await db.insertInto('event').values(syntheticEvents(50, 2)).execute();
      await expectCountsInStep(db);

      // Moving events between dates, and an update that touches no date.
      await db.updateTable('event').set({ date_earliest: '2024-02-01', date_latest: '2024-02-29', date_precision: 'MONTH' }).where('id', '<=', 40).execute();
      await db.updateTable('event').set({ title: 'Renamed' }).where('id', '>', 300).execute();
      await expectCountsInStep(db);

      // One by one, as a hand-written script would; then many at once.
      for (const id of [1, 2, 3, 41, 42]) await db.deleteFrom('event').where('id', '=', id).execute();
      await db.deleteFrom('event').where('date_precision', '=', 'DAY').where('id', '<', 200).execute();
      await expectCountsInStep(db);

      // A transaction that fails leaves the counts as they were.
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.deleteFrom('event').execute();
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await expectCountsInStep(db);

      await sql`truncate event cascade`.execute(db);
      await expectCountsInStep(db);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from event_date_count`.execute(db);
      expect(rows[0]!.n).toBe(0);
    });

    it('through concurrent writers adding and removing events of the same dates', async () => {
      const { db } = database;
      await db.insertInto('event').values(syntheticEvents(100, 4)).execute();
      // One seed for all of them, so every writer adds to the same dates' counts, each in its own transaction.
      const writers = [1, 2, 3, 4].map((writer) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('event').values(syntheticEvents(100, 5).map((event) => ({ ...event, slug: `${event.slug}-w${writer}` }))).execute();
          await trx.deleteFrom('event').where('slug', 'like', `synthetic-4-${writer}%`).execute();
        }),
      );
      await Promise.all(writers);
      await expectCountsInStep(db);
      await sql`truncate event cascade`.execute(db);
    });

    it('count what counting the events counts, for every date filter', async () => {
      const { db } = database;
      await db.insertInto('event').values(syntheticEvents(400, 3)).execute();
      const filters: EventFilter[] = [
        {},
        { from: '2024-01-01' },
        { to: '2024-06-30' },
        { from: '2024-01-01', to: '2024-12-31' },
        // Boundaries inside a month and a year: fuzzy dates that may overlap count.
        { from: '2024-03-15', to: '2024-03-16' },
        { from: '2023-12-31', to: '2024-01-01' },
        { from: '2025-06-01', to: '2025-05-01' },
        { from: '2023-01-01', to: '2025-12-31', precisions: ['DAY', 'MONTH'] },
        { from: '2024-07-01', precisions: ['YEAR'] },
      ];
      for (const filter of filters) {
        const expected = await countRows(filteredEvents(db, filter));
        expect(await countEvents(db, filter), JSON.stringify(filter)).toBe(expected);
        // The same filter with one more condition, which the counts cannot answer, goes to the events.
        const byEvents = await countEventsBy(db, 'MONTH', { ...filter, categories: ['OTHER'] });
        expect(await countEventsBy(db, 'MONTH', filter), JSON.stringify(filter)).toEqual(byEvents);
        expect(byEvents.reduce((total, bucket) => total + bucket.count, 0)).toBe(expected);
      }
    });
  });
});
