import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await openTestServer();
});
afterAll(() => server?.close());

/** The single error of a request, which must be a client mistake: no data leak, no stack, HTTP 200 or 400. */
async function clientError(query: string, variables?: Record<string, unknown>) {
  const result = await server.query(query, variables);
  expect(result.status).toBeLessThan(500);
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors!;
  expect(JSON.stringify(error)).not.toMatch(/stack|at .*\.ts:\d+/);
  return error!;
}

describe('client mistakes get clear errors with extensions.code', () => {
  it.each([
    ['2025-02-30', 'a day February lacks'],
    ['2025-6-1', 'an unpadded date'],
    ['2025-06', 'a month, not a day'],
    ['yesterday', 'a word'],
  ])('rejects the Date %s (%s)', async (date) => {
    const error = await clientError('query($from: Date) { events(filter: { from: $from }) { totalCount } }', { from: date });
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/YYYY-MM-DD/);
  });

  it('rejects a Date written inline in the query', async () => {
    const error = await clientError('{ events(filter: { to: "2025-13-01" }) { totalCount } }');
    expect(error.message).toMatch(/YYYY-MM-DD/);
  });

  it.each([
    ['events(first: 101)', 'first'],
    ['events(first: -1)', 'first'],
    ['events(last: 1000)', 'last'],
    ['actors(first: 101)', 'first'],
    ['search(query: "Baku", first: 500)', 'first'],
    ['events(first: 2, last: 2)', 'last'],
  ])('rejects the page size in %s', async (field, argument) => {
    const error = await clientError(`{ ${field} { totalCount } }`);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });

  it('rejects cursors that are not ours, and cursors of another list', async () => {
    for (const cursor of ['garbage', Buffer.from('["events-DATE"]').toString('base64url'), Buffer.from('{"x":1}').toString('base64url')]) {
      const error = await clientError(`{ events(after: "${cursor}") { totalCount } }`);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
    const page = await server.query('{ actors(first: 1) { pageInfo { endCursor } } }');
    const actorCursor = page.data!.actors.pageInfo.endCursor;
    const error = await clientError(`{ events(before: "${actorCursor}", last: 2) { totalCount } }`);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'before' });
  });

  it('rejects IDs of the wrong type or not IDs at all, in filters', async () => {
    const event = (await server.query('{ events(first: 1) { nodes { id } } }')).data!.events.nodes[0].id;
    for (const id of [event, 'Not an ID or slug']) {
      const error = await clientError('query($id: ID) { events(filter: { actor: $id }) { totalCount } }', { id });
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.actor' });
    }
  });

  it('answers null, not an error, for unknown slugs and unknown IDs', async () => {
    const result = await server.query(`{
      event(slug: "no-such-event") { id }
      actor(slug: "no-such-actor") { id }
      source(slug: "no-such-source") { id }
      node(id: "${Buffer.from('Actor:424242').toString('base64url')}") { id }
      garbage: node(id: "!!") { id }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ event: null, actor: null, source: null, node: null, garbage: null });
  });

  it('rejects an empty search', async () => {
    const error = await clientError('{ search(query: "   ") { totalCount } }');
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('masks unexpected failures: a missing table gives INTERNAL_SERVER_ERROR without details', async () => {
    const broken = await openTestServer();
    try {
      await sql`drop table participant`.execute(broken.database.db);
      const result = await broken.query('{ events(first: 1) { nodes { participants { role } } } }');
      // The request id leads from the client's error to the log line that holds the cause.
      expect(result.errors).toEqual([
        expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } }),
      ]);
      expect(JSON.stringify(result)).not.toMatch(/relation|does not exist|stack/);
    } finally {
      await broken.close();
    }
  });
});
