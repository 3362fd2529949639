import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './helpers/test-server.js';

const API_KEY = 'k-0123456789abcdef';
/** 30 points a minute; `{ events(first: n) { nodes { title } } }` costs 1 + 2n. */
const BUDGET = { RATE_LIMIT_POINTS: '30', RATE_LIMIT_WINDOW_SECONDS: '60', API_KEYS: API_KEY };
const costing = (pageSize: number) => JSON.stringify({ query: `{ events(first: ${pageSize}) { nodes { title } } }` });

function post(server: TestServer, body: string, ip: string, headers: Record<string, string> = {}) {
  return server.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }, ip);
}

function budget(response: Response) {
  return {
    status: response.status,
    limit: response.headers.get('ratelimit-limit'),
    remaining: response.headers.get('ratelimit-remaining'),
    reset: Number(response.headers.get('ratelimit-reset')),
  };
}

describe('rate limiting, in memory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer({ env: BUDGET });
  });
  afterAll(() => server?.close());

  it('charges each client the calculated cost, says what is left, and answers 429 past it', async () => {
    const first = await post(server, costing(5), '10.0.0.1');
    expect(budget(first)).toMatchObject({ status: 200, limit: '30', remaining: '19' });
    expect(budget(first).reset).toBeGreaterThan(0);
    expect(budget(first).reset).toBeLessThanOrEqual(60);
    expect(budget(await post(server, costing(5), '10.0.0.1'))).toMatchObject({ status: 200, remaining: '8' });
    expect(budget(await post(server, costing(3), '10.0.0.1'))).toMatchObject({ status: 200, remaining: '1' });
    // An operation costing more than what is left is refused before it runs.
    const refused = await post(server, costing(3), '10.0.0.1');
    expect(budget(refused)).toMatchObject({ status: 429, remaining: '0' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await refused.json();
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Rate limit exceeded: at most 30 cost points per 60 s; retry in \d+ s$/), extensions: { code: 'RATE_LIMITED', limit: { max: 30, windowSeconds: 60 } } }),
    ]);
    // Even the cheapest request is refused now.
    expect((await post(server, JSON.stringify({ query: '{ __typename }' }), '10.0.0.1')).status).toBe(429);
  });

  it('keeps a budget per IP, and one per issued API key; an unknown key buys nothing', async () => {
    expect(budget(await post(server, costing(1), '10.0.0.2'))).toMatchObject({ status: 200, remaining: '27' });
    expect(budget(await post(server, costing(1), '10.0.0.2', { 'x-api-key': API_KEY }))).toMatchObject({ status: 200, remaining: '27' });
    expect(budget(await post(server, costing(1), '10.0.0.3', { 'x-api-key': API_KEY }))).toMatchObject({ status: 200, remaining: '24' });
    expect(budget(await post(server, costing(1), '10.0.0.2', { 'x-api-key': 'made-up-key-0000000' }))).toMatchObject({ status: 200, remaining: '24' });
  });

  it('charges a cached answer one point, and refuses it past the budget like any request', async () => {
    const url = `/graphql?${new URLSearchParams({ query: '{ events(first: 2) { nodes { title } } }' })}`;
    const get = () => server.fetch(url, { headers: { 'x-graphql-yoga-csrf': '1' } }, '10.0.0.5');
    expect(budget(await get())).toMatchObject({ status: 200, remaining: '25' });
    for (let remaining = 24; remaining >= 0; remaining--) {
      const hit = await get();
      expect(budget(hit)).toMatchObject({ status: 200, remaining: String(remaining) });
      expect(hit.headers.get('etag')).toMatch(/^"/);
    }
    const refused = await get();
    expect(budget(refused)).toMatchObject({ status: 429, remaining: '0' });
    expect((await refused.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('counts refused operations as one point, and leaves /health alone', async () => {
    expect(budget(await post(server, JSON.stringify({ query: '{ nope }' }), '10.0.0.4'))).toMatchObject({ status: 200, remaining: '29' });
    const health = await server.fetch('/health', {}, '10.0.0.4');
    expect(health.headers.get('ratelimit-remaining')).toBeNull();
  });
});

describe('rate limiting, shared through Redis', () => {
  const prefix = `crisis-kb-test:${randomBytes(6).toString('hex')}`;
  let redis: Redis;
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    redis = new Redis('redis://127.0.0.1:6379', { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
    await redis.ping();
    const env = { ...BUDGET, REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_KEY_PREFIX: prefix };
    one = await openTestServer({ env, redis });
    two = await openTestServer({ env, redis, database: one.database });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await one?.close();
  });

  it('two instances spend one budget', async () => {
    expect(budget(await post(one, costing(5), '10.1.0.1'))).toMatchObject({ status: 200, remaining: '19' });
    expect(budget(await post(two, costing(5), '10.1.0.1'))).toMatchObject({ status: 200, remaining: '8' });
    expect(budget(await post(one, costing(5), '10.1.0.1')).status).toBe(429);
    expect(budget(await post(two, costing(0), '10.1.0.1')).status).toBe(429);
    expect(await redis.keys(`${prefix}*`)).toHaveLength(1);
  });
});

describe('rate limiting while Redis is unreachable', () => {
  let redis: Redis;
  let server: TestServer;
  beforeAll(async () => {
    // Nothing listens on port 1; with no offline queue, as main.ts sets it up, commands fail at once.
    redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => {});
    server = await openTestServer({ env: { ...BUDGET, REDIS_URL: 'redis://127.0.0.1:1' }, redis });
  });
  afterAll(async () => {
    redis.disconnect();
    await server?.close();
  });

  it('keeps serving, counting in memory instead', async () => {
    expect(budget(await post(server, costing(5), '10.2.0.1'))).toMatchObject({ status: 200, remaining: '19' });
    expect(budget(await post(server, costing(5), '10.2.0.1'))).toMatchObject({ status: 200, remaining: '8' });
    expect(budget(await post(server, costing(5), '10.2.0.1')).status).toBe(429);
  });
});
