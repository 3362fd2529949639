import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, openTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await openTestServer();
});
afterAll(() => server?.close());

/** Each filter argument that names a record, with a slug that gives a non-empty answer. */
const CASES = [
  { list: 'events', argument: 'actor', type: 'actor', slug: 'russia' },
  { list: 'events', argument: 'source', type: 'source', slug: 'yekaterinburg-test' },
  { list: 'measures', argument: 'initiator', type: 'actor', slug: 'azerbaijan' },
  { list: 'measures', argument: 'target', type: 'actor', slug: 'russia' },
  { list: 'measures', argument: 'initiatorState', type: 'actor', slug: 'russia' },
  { list: 'measures', argument: 'targetState', type: 'actor', slug: 'azerbaijan' },
  { list: 'measures', argument: 'inResponseTo', type: 'event', slug: 'aktau-crash' },
  { list: 'claims', argument: 'claimant', type: 'actor', slug: 'tofigakhanim-gasimova' },
  { list: 'claims', argument: 'about', type: 'event', slug: 'aktau-crash' },
  { list: 'actors', argument: 'country', type: 'actor', slug: 'azerbaijan' },
] as const;

async function idOf(type: string, slug: string): Promise<string> {
  return (dataOf(await server.query(`query($slug: String!) { record: ${type}(slug: $slug) { id } }`, { slug })) as any).record.id;
}

async function listed(list: string, argument: string, value: string) {
  server.resetStatements();
  const data = dataOf(
    await server.query(`query($value: ID!) { ${list}(filter: { ${argument}: $value }, first: 100) { totalCount nodes { id } } }`, { value }),
  ) as any;
  return { ...data[list], statements: server.statements.length };
}

describe('filters take a slug wherever they take an ID', () => {
  it.each(CASES)('$list(filter: { $argument: "$slug" }) is the same as by its ID, in as many statements', async ({ list, argument, type, slug }) => {
    const byId = await listed(list, argument, await idOf(type, slug));
    const bySlug = await listed(list, argument, slug);
    expect(byId.totalCount).toBeGreaterThan(0);
    expect(bySlug).toEqual(byId);
  });

  it('in the aggregates too', async () => {
    const query = `query($state: ID!) { measureCounts(by: KIND, filter: { initiatorState: $state }) { key count } }`;
    const bySlug = dataOf(await server.query(query, { state: 'russia' }));
    expect(bySlug).toEqual(dataOf(await server.query(query, { state: await idOf('actor', 'russia') })));
    expect((bySlug as any).measureCounts.length).toBeGreaterThan(0);
  });

  it('an unknown slug matches nothing, as an unknown ID does', async () => {
    expect((await listed('events', 'actor', 'nobody-at-all')).totalCount).toBe(0);
  });

  it('refuses what is neither a slug nor an ID of the right type', async () => {
    for (const value of ['Russia', await idOf('event', 'aktau-crash')]) {
      const result = await server.query('query($value: ID!) { events(filter: { actor: $value }) { totalCount } }', { value });
      expect(result.errors?.[0]).toMatchObject({
        message: `'filter.actor' must be an ID or a slug of type Actor; got '${value}'`,
        extensions: { code: 'BAD_USER_INPUT', argument: 'filter.actor' },
      });
    }
  });
});

describe('chart buckets say their precision', () => {
  it('a month is MONTH, a year-only bucket is YEAR, other groupings have none', async () => {
    const data = dataOf(
      await server.query(`{
        months: eventCounts(by: MONTH) { key precision }
        measureMonths: measureCounts(by: MONTH) { key precision }
        categories: eventCounts(by: CATEGORY) { precision }
      }`),
    ) as any;
    for (const bucket of [...data.months, ...data.measureMonths]) {
      expect(bucket.precision).toBe(/^\d{4}-\d{2}$/.test(bucket.key) ? 'MONTH' : 'YEAR');
    }
    expect(data.months.map((bucket: any) => bucket.precision)).toEqual(expect.arrayContaining(['MONTH', 'YEAR']));
    expect(new Set(data.categories.map((bucket: any) => bucket.precision))).toEqual(new Set([null]));
  });
});
