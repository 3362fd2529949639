import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from './helpers/test-database.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { canRunClusters, createCluster, type ThrowawayCluster } from './helpers/throwaway-cluster.js';

// Database faults need a Postgres server to kill: a cluster of the test's own (never the shared one),
// so they run with the Postgres suite, where the server binaries are.
const runFaults = testEngine.engine === 'postgres' && canRunClusters;

const NESTED = '{ events(first: 20) { nodes { title participants { actor { name } } citations { source { title } } } } }';
const COUNT = '{ events(first: 0) { totalCount } }';

interface Answer {
  readonly status: number;
  readonly ok: boolean;
  readonly codes: readonly unknown[];
  readonly body: string;
}

async function ask(port: number, query: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = await response.text();
  const json = JSON.parse(body) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
  return { status: response.status, ok: json.data != null && json.errors === undefined, codes: (json.errors ?? []).map((e) => e.extensions?.code), body };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

describe.runIf(runFaults)('database faults, on a throwaway Postgres cluster', () => {
  let cluster: ThrowawayCluster;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    cluster = await createCluster();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await cluster?.destroy();
  }, 60_000);

  /** A fresh database on the cluster, started if an earlier test left it down. */
  async function createDatabase(name: string) {
    if (!cluster.running) await cluster.start();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
  }

  async function start(env: Record<string, string>, waitForReady = true) {
    const server = await startServerProcess({ LOG_LEVEL: 'info', ...env }, undefined, { waitForReady });
    servers.push(server);
    return server;
  }

  it('starts with its database down, says why without naming it, and becomes ready once it answers, with no restart', async () => {
    const server = await start({ DATABASE_URL: cluster.url }, false);
    await until('a retry to be logged', async () => server.logs.find((entry) => entry.attempt >= 1) ?? undefined);

    const ready = await fetch(`http://127.0.0.1:${server.port}/ready`);
    expect(ready.status).toBe(503);
    const { reason } = (await ready.json()) as { reason: string };
    expect(reason).toBe('database unreachable: connection refused');
    expect(reason).not.toContain(String(cluster.port));
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(200);

    const early = await ask(server.port, COUNT);
    expect(early.status).toBe(503);
    expect(early.codes).toEqual(['SERVICE_UNAVAILABLE']);
    expect(early.body).not.toContain(String(cluster.port));

    await cluster.start();
    await until('the server to be ready', async () => (server.logs.some((entry) => entry.ready === true) ? true : undefined));
    expect((await fetch(`http://127.0.0.1:${server.port}/ready`)).status).toBe(200);
    expect((await ask(server.port, COUNT)).ok).toBe(true);
    expect(server.child.exitCode).toBeNull();
    expect(server.logs.filter((entry) => entry.attempt !== undefined).length).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('survives its database killed under load: requests in flight fail with a code, and it serves again within 5 s of the restart', async () => {
    await createDatabase('kb_load');
    // Sixteen clients as fast as the server answers, all from one address, would spend the rate
    // limit's budget within seconds; the limiter has tests of its own.
    const server = await start({ DATABASE_URL: cluster.urlOf('kb_load'), RATE_LIMIT_POINTS: '0' });

    const answers: Answer[] = [];
    const failures: unknown[] = [];
    let loading = true;
    const worker = async () => {
      while (loading) {
        try {
          const answer = await ask(server.port, NESTED);
          answers.push(answer);
          if (!answer.ok) await sleep(20);
        } catch (error) {
          failures.push(error);
          await sleep(20);
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);

    await sleep(1_000);
    const beforeKill = answers.length;
    await cluster.kill();
    await sleep(1_500);
    await cluster.start();
    const restarted = Date.now();
    await until('a query to succeed after the restart', async () => ((await ask(server.port, COUNT)).ok ? true : undefined), 20_000);
    const servedAfterMs = Date.now() - restarted;
    await sleep(500);
    loading = false;
    await Promise.all(workers);

    expect(beforeKill).toBeGreaterThan(0);
    expect(failures).toEqual([]); // every request got an HTTP answer
    expect(server.child.exitCode).toBeNull();
    const failed = answers.filter((answer) => !answer.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const answer of failed) {
      expect(answer.codes.length, answer.body).toBeGreaterThan(0);
      for (const code of answer.codes) expect(['SERVICE_UNAVAILABLE', 'TIMEOUT'], answer.body).toContain(code);
      expect([503, 504], answer.body).toContain(answer.status);
      expect(answer.body).not.toContain(String(cluster.port));
    }
    expect(servedAfterMs).toBeLessThan(5_000);
    expect(answers.at(-1)?.ok).toBe(true);
    expect((await fetch(`http://127.0.0.1:${server.port}/ready`)).status).toBe(200);
  }, 120_000);

  it.each([
    ['a statement runs past DB_STATEMENT_TIMEOUT_MS', { DB_STATEMENT_TIMEOUT_MS: '300', DB_LOCK_TIMEOUT_MS: '0' }, /time limit/],
    ['a request runs past REQUEST_TIMEOUT_MS', { DB_STATEMENT_TIMEOUT_MS: '0', DB_LOCK_TIMEOUT_MS: '0', REQUEST_TIMEOUT_MS: '300' }, /deadline/],
  ])('answers TIMEOUT (504) when %s, and keeps serving', async (_, env, message) => {
    await createDatabase('kb_timeout');
    const server = await start({ DATABASE_URL: cluster.urlOf('kb_timeout'), ...env });

    // A statement kept waiting by another session's lock runs long by any measure.
    const locker = new pg.Client({ connectionString: cluster.urlOf('kb_timeout') });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table event in access exclusive mode');
      const answer = await ask(server.port, COUNT);
      expect(answer.status).toBe(504);
      expect(answer.codes).toEqual(['TIMEOUT']);
      expect(answer.body).toMatch(message);
      await locker.query('rollback');
      expect((await ask(server.port, COUNT)).ok).toBe(true);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await locker.end();
      await server.stop();
    }
  }, 120_000);

  it('on SIGTERM, lets a request whose client has gone finish before closing the database', async () => {
    await createDatabase('kb_drain');
    const server = await start({ DATABASE_URL: cluster.urlOf('kb_drain'), REQUEST_TIMEOUT_MS: '0', DB_STATEMENT_TIMEOUT_MS: '0', DB_LOCK_TIMEOUT_MS: '0' });
    const locker = new pg.Client({ connectionString: cluster.urlOf('kb_drain') });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table event in access exclusive mode');
      // A client asks, waits on the lock, and hangs up: the connection is gone, the request is not.
      const body = JSON.stringify({ query: NESTED });
      const socket = net.connect(server.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      await sleep(300);
      socket.destroy();
      const stopped = server.stop('SIGTERM');
      await sleep(500);
      await locker.query('rollback');
      expect(await stopped).toBe(0);
      // Its execution ran to its end on an open database, nested levels included: nothing failed
      // (closed under it, its next statements failed with "driver has already been destroyed").
      expect(server.logs.filter((entry) => entry.level >= 50)).toEqual([]);
      expect(server.logs.some((entry) => entry.msg === 'request' && entry.method === 'POST' && entry.status === 200)).toBe(true);
    } finally {
      await locker.end().catch(() => {});
    }
  }, 120_000);

  it('answers TIMEOUT when a genuinely slow query through the API runs past a tiny DB_STATEMENT_TIMEOUT_MS', async () => {
    await createDatabase('kb_slow');
    const server = await start({ DATABASE_URL: cluster.urlOf('kb_slow'), DB_STATEMENT_TIMEOUT_MS: '10' });

    // 300,000 more events: counting them by month takes far longer than 10 ms. By category too,
    // or the month buckets would come from event_date_count, which answers within it.
    const filler = new pg.Client({ connectionString: cluster.urlOf('kb_slow') });
    await filler.connect();
    try {
      await filler.query(`insert into event (slug, title, summary, category, date_earliest, date_latest, date_precision)
        select 'filler-' || n, 'Filler event ' || n, 'A filler summary', 'OTHER', date '2020-01-01' + n % 2000, date '2020-01-01' + n % 2000, 'DAY'
        from generate_series(1, 300000) as n`);
      await filler.query('analyze event');
    } finally {
      await filler.end();
    }
    const answer = await ask(server.port, '{ eventCounts(by: MONTH, filter: { category: [OTHER] }) { key count } }');
    expect(answer.status).toBe(504);
    expect(answer.codes).toEqual(['TIMEOUT']);
    expect(server.child.exitCode).toBeNull();
    await server.stop();
  }, 120_000);
});
