import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.js';
import { createServer } from '../src/server.js';
import { openTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await openTestServer();
});
afterAll(() => server?.close());

const CODES = new Set<string>(Object.values(ErrorCode));

/** A raw request's status and errors; every error must carry a code of our closed set and nothing internal. */
async function errorsOf(init: RequestInit, path = '/graphql') {
  const response = await server.fetch(path, init);
  const text = await response.text();
  const body = JSON.parse(text);
  for (const error of body.errors ?? []) {
    expect(CODES.has(error.extensions?.code), JSON.stringify(error)).toBe(true);
    expect(error.extensions).not.toHaveProperty('originalError');
    expect(error.extensions).not.toHaveProperty('http');
    expect(JSON.stringify(error)).not.toMatch(/stack|\.ts:\d|node_modules|select |relation/i);
  }
  return { status: response.status, errors: body.errors as { message: string; extensions: Record<string, unknown> }[], text, response };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('every error has an extensions.code from the closed set', () => {
  it.each([
    ['a document that does not parse', { query: '{ events(' }, 'GRAPHQL_PARSE_FAILED'],
    ['a field not in the schema', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable of the wrong type', { query: 'query($n: Int) { events(first: $n) { totalCount } }', variables: { n: 'abc' } }, 'BAD_USER_INPUT'],
    ['a required variable missing', { query: 'query($n: Int!) { events(first: $n) { totalCount } }', variables: {} }, 'BAD_USER_INPUT'],
    ['an enum variable not in the enum', { query: 'query($c: [EventCategory!]) { events(filter: { category: $c }) { totalCount } }', variables: { c: ['WAR'] } }, 'BAD_USER_INPUT'],
    ['a Date variable that is no day', { query: 'query($d: Date) { events(filter: { from: $d }) { totalCount } }', variables: { d: '2025-02-30' } }, 'BAD_USER_INPUT'],
    ['an operation name not in the document', { query: 'query A { __typename }', operationName: 'B' }, 'BAD_REQUEST'],
    ['no query at all', {}, 'BAD_REQUEST'],
    ['a batch', [{ query: '{ __typename }' }], 'BAD_REQUEST'],
    ['a mutation, which this API has none of', { query: 'mutation { x }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a subscription, which this API has none of', { query: 'subscription { events }' }, 'GRAPHQL_VALIDATION_FAILED'],
  ])('%s', async (_name, body, code) => {
    const { status, errors } = await errorsOf(json(body));
    expect(status).toBeLessThan(500);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.extensions.code).toBe(code);
  });

  it('a variable-coercion error, asked for as application/graphql-response+json, is a 400 with a code', async () => {
    const { status, errors } = await errorsOf({
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: 'query($n: Int) { events(first: $n) { totalCount } }', variables: { n: 'abc' } }),
    });
    expect(status).toBe(400);
    expect(errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('invalid JSON is BAD_REQUEST and never echoes the body', async () => {
    const secret = `{"query": "{ __typename }", "token": "s3cr3t-${'x'.repeat(10_000)}`;
    const { status, errors, text } = await errorsOf({ method: 'POST', headers: { 'content-type': 'application/json' }, body: secret });
    expect(status).toBeLessThan(500);
    expect(errors).toEqual([{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }]);
    expect(text).not.toContain('s3cr3t');
    expect(text.length).toBeLessThan(200);
  });

  it('a forged cursor of the right list, whose values do not fit its sort keys, is BAD_USER_INPUT (found by the fuzzer)', async () => {
    const forge = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const real = (await server.query('{ events(first: 1) { pageInfo { endCursor } } }')).data.events.pageInfo.endCursor;
    expect(JSON.parse(Buffer.from(real, 'base64url').toString())).toHaveLength(4);
    for (const cursor of [forge('events-DATE', '2025-06-01', 3), forge('events-DATE', 'not a day', '2025-01-01', 1), forge('events-DATE', '2025-01-01', '2025-01-01', 'x')]) {
      for (const query of [`{ events(after: "${cursor}") { totalCount } }`, `{ events(last: 2, before: "${cursor}") { totalCount } }`]) {
        const result = await server.query(query);
        expect(result.errors).toEqual([expect.objectContaining({ path: ['events'], extensions: { code: 'BAD_USER_INPUT' } })]);
      }
    }
    const nested = await server.query(`{ actor(slug: "russia") { events(after: "${forge('actor-events', 'x')}") { totalCount } } }`);
    expect(nested.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('a method other than GET and POST is METHOD_NOT_ALLOWED', async () => {
    const { status, errors } = await errorsOf({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(status).toBe(405);
    expect(errors[0]!.extensions.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('an unexpected error is masked, and carries the request id that its log line has', async () => {
    const broken = await openTestServer();
    try {
      await sql`drop table citation`.execute(broken.database.db);
      const response = await broken.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-7' },
        body: JSON.stringify({ query: '{ events(first: 1) { nodes { title citations { quote } } } }' }),
      });
      const body = await response.json();
      // GraphQL over HTTP: an execution error is answered with the (null) data, as 200.
      expect(response.status).toBe(200);
      expect(body.errors).toEqual([{ message: 'Unexpected error.', path: ['events', 'nodes', 0, 'citations'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'trace-7' } }]);
      expect(response.headers.get('x-request-id')).toBe('trace-7');

      // The same request id leads to the log line holding the cause.
      const lines: Record<string, unknown>[] = [];
      const logged = createServer({ db: broken.database.db, logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) });
      await logged.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-8' },
        body: JSON.stringify({ query: '{ events(first: 1) { nodes { citations { quote } } } }' }),
      });
      const cause = lines.find((line) => line.level === 50);
      expect(cause).toMatchObject({ requestId: 'trace-8', msg: expect.stringMatching(/citation/) });
    } finally {
      await broken.close();
    }
  });
});
