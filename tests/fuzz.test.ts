import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRequests } from '../scripts/fuzz/documents.js';
import { runFuzz } from '../scripts/fuzz/run.js';
import { schema } from '../src/schema/index.js';
import { openTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  // The fuzzer sends far more than a client's budget; rate limiting has tests of its own.
  server = await openTestServer({ env: { RATE_LIMIT_POINTS: '0' } });
});
afterAll(() => server?.close());

describe('fuzzing (the short run; `npm run fuzz` runs 3,000 and more)', () => {
  it('answers 400 distinct random documents without a 5xx, an unmasked message or an error without a code', async () => {
    const requests = generateRequests(schema, 400, 20261124);
    expect(new Set(requests.map((request) => JSON.stringify(request))).size).toBe(400);
    const figures = await runFuzz(requests, async (body) => {
      const response = await server.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: response.status, text: await response.text() };
    });
    expect(figures.problems).toEqual([]);
    expect(figures).toMatchObject({ serverErrors: 0, internal: 0, unmasked: 0, withoutCode: 0, healthFailures: 0 });
    // The documents reach every stage: some run cleanly, some are refused, some fail in a resolver.
    expect(figures.clean).toBeGreaterThan(40);
    expect(figures.refused).toBeGreaterThan(40);
    expect(Object.keys(figures.codes).length).toBeGreaterThan(4);
  }, 300_000);
});
