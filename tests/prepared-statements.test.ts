import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connect.js';
import { findEventsByIds } from '../src/db/queries/events.js';
import { openSeededDatabase, testEngine } from './helpers/test-database.js';
import { dataOf, openTestServer } from './helpers/test-server.js';

const PAGE = '{ events(first: 5) { nodes { id title participants { actor { name } } } } }';

describe('lists of values are sent as one array', () => {
  let database: Database;
  let statements: string[];
  beforeAll(async () => {
    statements = [];
    database = await openSeededDatabase({ log: (event) => void (event.level === 'query' && statements.push(event.query.sql)) });
  });
  afterAll(() => database?.close());

  it('as `= any($1)`, one statement text for every list length, with the rows an IN list finds', async () => {
    const ids = (await sql<{ id: number }>`select id from event order by id`.execute(database.db)).rows.map((row) => row.id);
    expect(ids.length).toBeGreaterThan(10);
    statements.splice(0);
    for (const size of [1, 2, 7]) {
      const asked = [...ids.slice(0, size), 999_999_999];
      const found = await findEventsByIds(database.db, asked);
      const byInList = await sql<{ id: number }>`select id from event where id in (${sql.join(asked)}) order by id`.execute(database.db);
      expect(found.map((row) => row.id).sort((a, b) => a - b)).toEqual(byInList.rows.map((row) => row.id));
      expect(found).toHaveLength(size);
    }
    const texts = new Set(statements.filter((text) => text.includes('from "event"')));
    expect(texts.size).toBe(1);
    expect([...texts][0]).toMatch(/"event"\."id" = any\(\$1\)/);
  });

  it('for text columns too: a filter by categories finds what an IN list finds', async () => {
    const server = await openTestServer({ database });
    const categories = ['DIPLOMATIC', 'LEGAL'];
    const { events } = dataOf(await server.query(`{ events(first: 100, filter: { category: [${categories.join(', ')}] }) { totalCount } }`));
    const byInList = await sql<{ n: number }>`select count(*)::int as n from event where category in (${sql.join(categories)})`.execute(database.db);
    expect(byInList.rows[0]!.n).toBeGreaterThan(0);
    expect(events.totalCount).toBe(byInList.rows[0]!.n);
  });
});

describe.runIf(testEngine.engine === 'postgres')('prepared statements on Postgres', () => {
  /** The statements prepared on the one connection of a server that ran the page twice, with how often each was planned. */
  async function preparedAfterTwoPages(preparedStatements: boolean) {
    const database = await openSeededDatabase({ poolSize: 1, preparedStatements });
    const server = await openTestServer({ database });
    try {
      const first = dataOf(await server.query(PAGE));
      expect(dataOf(await server.query(PAGE))).toEqual(first);
      const { rows } = await sql<{ name: string; statement: string; plans: number }>`
        select name, statement, generic_plans + custom_plans as plans from pg_prepared_statements where from_sql = false order by name`.execute(database.db);
      return rows;
    } finally {
      await server.close();
      await database.close();
    }
  }

  it('prepares each statement once per connection and runs it again by name', async () => {
    const prepared = await preparedAfterTwoPages(true);
    expect(prepared.map((row) => row.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^kb\d+$/)]));
    const page = prepared.find((row) => row.statement.includes('from "event"') && row.statement.includes('order by'));
    const participants = prepared.find((row) => row.statement.includes('from "participant"'));
    // Planned (custom or generic) at each of the two requests, from one parse.
    expect(page?.plans).toBe(2);
    expect(participants?.plans).toBe(2);
  });

  it('keeps one plan for a page, first or after a cursor: its limit is in the text', async () => {
    const database = await openSeededDatabase({ poolSize: 1 });
    const server = await openTestServer({ database });
    try {
      const pageAfter = (cursor: string | null) =>
        `{ events(first: 3${cursor ? `, after: "${cursor}"` : ''}) { edges { cursor node { id } } } }`;
      const { events } = dataOf(await server.query(pageAfter(null)));
      const cursor = events.edges[1].cursor as string;
      // Postgres weighs a generic plan against the custom plans of a statement's first five runs.
      for (let run = 0; run < 8; run++) {
        expect(dataOf(await server.query(pageAfter(null))).events.edges).toEqual(events.edges);
        expect(dataOf(await server.query(pageAfter(cursor))).events.edges[0]).toEqual(events.edges[2]);
      }
      const { rows } = await sql<{ statement: string; generic_plans: number }>`
        select statement, generic_plans from pg_prepared_statements
        where from_sql = false and statement like '%from "event"%order by%'`.execute(database.db);
      // The first page and the page after the cursor: with `limit $n`, Postgres prices a generic plan
      // as if a tenth of the table were read, and on a large one plans every run again.
      expect(rows.filter((row) => row.statement.includes(') > ('))).toHaveLength(1);
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.statement).toMatch(/ limit 4$/);
        expect(row.generic_plans, row.statement).toBeGreaterThan(0);
      }
    } finally {
      await server.close();
      await database.close();
    }
  });

  it("keeps its connections, and what they prepared, through a pause longer than pg's idle timeout", { timeout: 30_000 }, async () => {
    const database = await openSeededDatabase({ poolSize: 3 });
    try {
      // Three at once, so the pool opens all three connections.
      const backends = async () => {
        const answers = await Promise.all([0, 1, 2].map(() => sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(database.db)));
        return new Set(answers.map(({ rows }) => rows[0]!.pid));
      };
      const before = await backends();
      expect(before.size).toBe(3);
      // pg closes a connection idle for 10 s unless told otherwise.
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect(await backends()).toEqual(before);
    } finally {
      await database.close();
    }
  });

  it('prepares nothing when turned off (DB_PREPARED_STATEMENTS=false)', async () => {
    expect(await preparedAfterTwoPages(false)).toEqual([]);
  });
});
