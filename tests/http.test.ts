import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync, inflateSync, constants as zlib, zstdDecompressSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connect.js';
import { loadSeeds } from '../src/db/seed.js';
import { readSeeds } from '../src/db/seed-files.js';
import { EXAMPLE_OPERATION_NAMES } from '../src/http/examples.js';
import { MAX_LABELLED_OPERATION_NAMES, OTHER_OPERATIONS } from '../src/http/metrics.js';
import { persistedOperationsManifest, sha256 } from '../src/http/persisted-operations.js';
import { VARY } from '../src/http/early-answers.js';
import { CACHE_CONTROL } from '../src/http/response-cache.js';
import { loadConfig } from '../src/config.js';
import { MAX_CACHED_DOCUMENT_LENGTH } from '../src/limits.js';
import { createServer, EXAMPLE_OPERATIONS, type ServerOptions } from '../src/server.js';
import { openSeededDatabase } from './helpers/test-database.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const manifest = persistedOperationsManifest(EXAMPLE_OPERATIONS);
const hashOf = (operationName: string) => Object.entries(manifest).find(([, text]) => text.includes(`query ${operationName} `))![0];

let database: Database;
const statements: string[] = [];
const logLines: Record<string, any>[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()));
      done();
    },
  }),
);

beforeAll(async () => {
  database = await openSeededDatabase({
    log: (event) => {
      if (event.level === 'query') statements.push(event.query.sql);
    },
  });
});
afterAll(() => database?.close());

/** The server, fetched as a client that sends the CSRF-prevention header with every request, as the README asks of GETs (tests/browser-safety.test.ts refuses one without it). */
const serverWith = (options: Partial<ServerOptions> = {}) => {
  const yoga = createServer({ db: database.db, logger, ...options });
  return {
    fetch: (url: string, init: { method?: string; headers?: Record<string, string>; body?: BodyInit } = {}) =>
      yoga.fetch(url, { ...init, headers: { 'x-graphql-yoga-csrf': '1', ...init.headers } }),
  };
};
const getUrl = (query: string, extra: Record<string, string> = {}) =>
  `http://test/graphql?${new URLSearchParams({ query, ...extra })}`;
/** An answer without `extensions.cost`, which every accepted operation carries. */
const withoutCost = ({ extensions, ...answer }: { extensions?: { cost?: unknown } }) => {
  const { cost: _cost, ...rest } = extensions ?? {};
  return Object.keys(rest).length > 0 ? { ...answer, extensions: rest } : answer;
};
const persisted = (hash: string) => JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
const TIT_FOR_TAT = manifest[hashOf('TitForTat')]!;

describe('compression', () => {
  it('gzips or brotli-compresses an answer when the client accepts it, and leaves it alone otherwise', async () => {
    const yoga = serverWith();
    const post = (encoding?: string) =>
      yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(encoding ? { 'accept-encoding': encoding } : {}) },
        body: JSON.stringify({ query: TIT_FOR_TAT }),
      });
    const plain = await post();
    expect(plain.headers.get('content-encoding')).toBeNull();
    const identity = Buffer.from(await plain.arrayBuffer());
    expect(JSON.parse(identity.toString()).data.measures.nodes.length).toBeGreaterThan(10);

    const gzipped = await post('gzip, deflate, br');
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const gzipBytes = Buffer.from(await gzipped.arrayBuffer());
    expect(gunzipSync(gzipBytes).equals(identity)).toBe(true);
    expect(gzipBytes.length * 4).toBeLessThan(identity.length);
    // Compressed whole, not streamed: its length is known.
    expect(gzipped.headers.get('content-length')).toBe(String(gzipBytes.length));

    const brotli = await post('br');
    expect(brotli.headers.get('content-encoding')).toBe('br');
    const brotliBytes = Buffer.from(await brotli.arrayBuffer());
    expect(brotliDecompressSync(brotliBytes).equals(identity)).toBe(true);
    // Made at quality 5, not brotli's default of 11, which cost a 50-event timeline 45 ms of CPU.
    const atQuality = (quality: number) => brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality } });
    expect(brotliBytes.equals(atQuality(5))).toBe(true);
    expect(brotliBytes.equals(atQuality(11))).toBe(false);
  });

  it('compresses a stream of events as it goes, and a request body the client compressed is read', async () => {
    const yoga = serverWith();
    const streamed = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ query: TIT_FOR_TAT }),
    });
    // Through Yoga's own plugin, as a stream: no length, and the events come out of the gzip stream whole.
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-length')).toBeNull();
    const events = gunzipSync(Buffer.from(await streamed.arrayBuffer())).toString();
    expect(events).toMatch(/event: next\ndata: \{"data":\{"measures"/);
    expect(events).toMatch(/event: complete\n/);

    const compressedRequest = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ query: '{ __typename }' })),
    });
    expect(withoutCost(await compressedRequest.json())).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('HTTP caching of GET queries', () => {
  it('answers with an ETag and a Cache-Control a CDN honours; If-None-Match gives 304; a hit runs no SQL', async () => {
    const yoga = serverWith();
    const url = getUrl(TIT_FOR_TAT);
    const first = await yoga.fetch(url);
    expect(first.status).toBe(200);
    const body = await first.json();
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get('cache-control')).toBe(CACHE_CONTROL);
    expect(first.headers.get('vary')).toMatch(/Accept-Encoding/);
    // Nothing the cache keeps for itself (such as its headers) leaks into the answer: only what every answer carries.
    expect(Object.keys(body.extensions ?? {})).toEqual(['cost']);

    statements.splice(0);
    const again = await yoga.fetch(url);
    // A hit runs nothing, so it carries no cost of its own.
    expect(withoutCost(await again.json())).toEqual(withoutCost(body));
    expect(again.headers.get('etag')).toBe(etag);
    expect(statements.filter((statement) => !statement.includes('seed_state'))).toEqual([]);

    const notModified = await yoga.fetch(url, { headers: { 'if-none-match': etag! } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
  });

  it('keys cached answers by their variables, and serves each hit the same text', async () => {
    const yoga = serverWith();
    const query = 'query Page($n: Int) { events(first: $n) { nodes { title } } }';
    const page = (n: number) => yoga.fetch(getUrl(query, { variables: JSON.stringify({ n }) }));
    const [one, two] = [await (await page(1)).text(), await (await page(2)).text()];
    expect(JSON.parse(one).data.events.nodes).toHaveLength(1);
    expect(JSON.parse(two).data.events.nodes).toHaveLength(2);
    statements.splice(0);
    const hits = [await page(1), await page(1), await page(2)];
    const texts = await Promise.all(hits.map((hit) => hit.text()));
    expect(texts[0]).toBe(texts[1]);
    expect(withoutCost(JSON.parse(texts[0]!))).toEqual(withoutCost(JSON.parse(one)));
    expect(withoutCost(JSON.parse(texts[2]!))).toEqual(withoutCost(JSON.parse(two)));
    expect(new Set(hits.map((hit) => hit.headers.get('etag'))).size).toBe(2);
    expect(statements.filter((statement) => !statement.includes('seed_state'))).toEqual([]);
  });

  it('still refuses a cached query sent without a CSRF header', async () => {
    const yoga = createServer({ db: database.db, logger });
    const url = getUrl('{ events(first: 1) { nodes { title } } }');
    expect((await yoga.fetch(url, { headers: { 'x-graphql-yoga-csrf': '1' } })).status).toBe(200);
    expect((await yoga.fetch(url, { headers: { 'x-graphql-yoga-csrf': '1' } })).headers.get('etag')).toMatch(/^"/);
    expect((await yoga.fetch(url)).status).toBe(403);
  });

  it('keeps answers in process up to RESPONSE_CACHE_MB of JSON, dropping the least recently used', async () => {
    const yoga = serverWith({ config: loadConfig({ RESPONSE_CACHE_MB: '1' }) });
    // About 20 KB of JSON each; distinct texts, so distinct entries.
    const selection = 'nodes { id title summary date { precision earliest latest } citations { quote source { id title } } }';
    const url = (i: number) => getUrl(`query Page${i} { events(first: 100) { ${selection} } }`);
    const first = await (await yoga.fetch(url(0))).text();
    const count = Math.ceil((2 * 1024 * 1024) / first.length);
    for (let i = 1; i < count; i++) await yoga.fetch(url(i));
    const ranSql = async (i: number) => {
      statements.splice(0);
      await (await yoga.fetch(url(i))).text();
      return statements.some((statement) => !statement.includes('seed_state'));
    };
    // Twice the budget was asked for: the latest answer is still kept, the first was dropped.
    expect(await ranSql(count - 1)).toBe(false);
    expect(await ranSql(0)).toBe(true);
  });

  it('caches neither POSTs nor answers with errors', async () => {
    const yoga = serverWith();
    const post = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ events(first: 1) { totalCount } }' }),
    });
    expect(post.headers.get('etag')).toBeNull();
    expect(post.headers.get('cache-control')).toBeNull();
    const failed = await yoga.fetch(getUrl('{ events(first: 500) { totalCount } }'));
    expect((await failed.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(failed.headers.get('etag')).toBeNull();
    expect(failed.headers.get('cache-control')).toBeNull();
  });

  it('forgets every cached answer and ETag when the knowledge base is reseeded', async () => {
    const yoga = serverWith();
    const url = getUrl('{ events(first: 1) { totalCount } }');
    const before = await yoga.fetch(url);
    const etag = before.headers.get('etag')!;
    expect((await yoga.fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const seeds = readSeeds();
    // The same records under another digest stands for a new version of the seeds; this one differs
    // only after its first 16 characters, as two generated knowledge bases' digests do.
    await loadSeeds(database.db, { ...seeds, digest: `${seeds.digest}:a new version of the seeds` }, 'reset');
    try {
      // The server reads the knowledge base's version at most once a second.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const after = await yoga.fetch(url, { headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
    } finally {
      await loadSeeds(database.db, seeds, 'reset');
    }
  });
});

/**
 * The server as main.ts serves it, on a loopback port. Each answer says whether the
 * cached-answer path wrote it, before Yoga: that path writes its head as
 * `writeHead(200, headers)`, Yoga's adapter with a status text or with none.
 */
async function listening(options: Partial<ServerOptions> = {}) {
  const yoga = createServer({ db: database.db, logger, ...options });
  const early = new Set<string>();
  const server = http.createServer((request: IncomingMessage, response: ServerResponse) => {
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = ((...args: unknown[]) => {
      if (args.length === 2 && typeof args[1] === 'object') early.add(String(request.headers['x-test-id']));
      return writeHead(...args);
    }) as typeof response.writeHead;
    void yoga.httpListener(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let sent = 0;
  /** The answer, its body decoded, and whether the cached-answer path wrote it. */
  const request = async (path: string, headers: Record<string, string> = {}) => {
    const id = String(++sent);
    const reply = await new Promise<IncomingMessage>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port, path, headers: { 'x-test-id': id, ...headers } }, resolve).on('error', reject),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of reply) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const encoding = reply.headers['content-encoding'];
    const decode = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync, zstd: zstdDecompressSync }[String(encoding)] ?? ((raw: Buffer) => raw);
    const body = decode(bytes).toString();
    return { status: reply.statusCode!, headers: reply.headers, body, early: early.has(id) };
  };
  return {
    request,
    get: (params: Record<string, string>, headers: Record<string, string> = {}) => request(`/graphql?${new URLSearchParams(params)}`, headers),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** What two answers must share: their status, body and headers, but those that differ by request or by how the body is framed. */
const comparable = ({ status, headers, body }: { status: number; headers: http.IncomingHttpHeaders; body: string }) => ({
  status,
  body,
  headers: Object.fromEntries(
    Object.entries(headers).filter(([name]) => !['date', 'x-request-id', 'ratelimit-remaining', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)),
  ),
});

describe('cached answers over HTTP, ahead of Yoga', () => {
  const CSRF = { 'x-graphql-yoga-csrf': '1' };
  const params = { query: 'query Pair($n: Int) { events(first: $n) { nodes { title date { iso } } } }', operationName: 'Pair', variables: JSON.stringify({ n: 2 }) };
  // `extensions` keeps a request from the cached-answer path (a persisted query's hash goes there), not from the cache.
  const throughYoga = { ...params, extensions: '{}' };

  it('answers a hit as Yoga would, for every Accept and Accept-Encoding, and running nothing', async () => {
    const server = await listening();
    try {
      const miss = await server.get(params, CSRF);
      expect(miss).toMatchObject({ status: 200, early: false });
      statements.splice(0);
      const accepts = [undefined, '*/*', 'application/json', 'application/graphql-response+json', 'application/graphql-response+json, application/json;q=0.9', 'application/json; charset=latin1', 'text/event-stream'];
      const encodings = [undefined, 'gzip', 'gzip, deflate, br', 'br', 'deflate', 'br;q=1, gzip;q=0.5', 'identity', 'zstd, gzip', 'deflate-raw', 'deflate-raw,br'];
      // text/html asks for GraphiQL's page (below).
      for (const accept of accepts) {
        for (const encoding of encodings) {
          const headers = { ...CSRF, ...(accept === undefined ? {} : { accept }), ...(encoding === undefined ? {} : { 'accept-encoding': encoding }) };
          const early = await server.get(params, headers);
          const pipeline = await server.get(throughYoga, headers);
          expect(comparable(early), `${accept} / ${encoding}`).toEqual(comparable(pipeline));
          expect(pipeline.early).toBe(false);
          // What Yoga answers otherwise than as one JSON document (a stream, an error) is left to it.
          const answersEarly = !['application/json; charset=latin1', 'text/event-stream'].includes(accept ?? '');
          expect(early.early, `${accept} / ${encoding}`).toBe(answersEarly);
          if (accept === undefined && encoding === undefined) expect(withoutCost(JSON.parse(early.body))).toEqual(withoutCost(JSON.parse(miss.body)));
        }
      }
      expect(statements.filter((statement) => !statement.includes('seed_state'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('answers a cross-origin hit with the CORS headers Yoga gives, and leaves requests without a CSRF header to Yoga', async () => {
    const server = await listening();
    try {
      const miss = await server.get(params, CSRF);
      const etag = miss.headers.etag!;
      const crossOrigin = { ...CSRF, origin: 'https://dashboard.example', 'accept-encoding': 'gzip' };
      const early = await server.get(params, crossOrigin);
      expect(early).toMatchObject({ status: 200, early: true, headers: { 'access-control-allow-origin': 'https://dashboard.example', vary: 'Origin, Accept, Accept-Encoding' } });
      expect(comparable(early)).toEqual(comparable(await server.get(throughYoga, crossOrigin)));
      expect(await server.get(params)).toMatchObject({ status: 403, early: false });
      // Not even a 304: a condition counts only where the answer would have been a 200 (RFC 9110 §13.2.1).
      expect(await server.get(params, { 'if-none-match': etag })).toMatchObject({ status: 403, early: false });
    } finally {
      await server.close();
    }
  });

  it('answers If-None-Match by the answer\'s own tag, weak or strong, in a list or `*`, ahead of Yoga and through it alike', async () => {
    const server = await listening();
    try {
      const miss = await server.get(params, CSRF);
      const etag = miss.headers.etag!;
      // Another query's tag, which Yoga's response cache answered 304 for: it compared the header with every cached key.
      const other = (await server.get({ query: '{ sources(first: 1) { nodes { title } } }' }, CSRF)).headers.etag!;
      expect(other).not.toBe(etag);
      const current = [etag, `W/${etag}`, `"elsewhere", ${etag}`, `W/"elsewhere",W/${etag}`, '*'];
      const stale = [other, `W/${other}`, '"elsewhere"', `${etag.slice(0, -2)}"`, 'garbage'];
      for (const [request, early] of [[params, true], [throughYoga, false]] as const) {
        for (const condition of current) {
          const answer = await server.get(request, { ...CSRF, 'if-none-match': condition });
          expect(answer, condition).toMatchObject({ status: 304, early, body: '' });
          // What a cache needs to refresh what it keeps (RFC 9110 §15.4.5), and no Content-Length it could take for the answer's.
          expect(answer.headers).toMatchObject({ etag, 'cache-control': CACHE_CONTROL, 'last-modified': miss.headers['last-modified'], vary: VARY });
          expect(answer.headers['content-length']).toBeUndefined();
          expect(answer.headers['content-type']).toBeUndefined();
        }
        for (const condition of stale) {
          const answer = await server.get(request, { ...CSRF, 'if-none-match': condition });
          expect(answer, condition).toMatchObject({ status: 200, early, headers: { etag } });
          expect(withoutCost(JSON.parse(answer.body))).toEqual(withoutCost(JSON.parse(miss.body)));
        }
      }
      // Ahead of Yoga and through it, the same 304.
      const conditional = { ...CSRF, origin: 'https://dashboard.example', 'if-none-match': etag };
      expect(comparable(await server.get(params, conditional))).toEqual(comparable(await server.get(throughYoga, conditional)));
      // An answer Yoga would refuse for its Accept is refused, not 304.
      expect(await server.get(params, { ...CSRF, accept: 'application/xml', 'if-none-match': etag })).toMatchObject({ status: 406, early: false });
      // A tag names the data, not a cache entry: another instance, which has not cached the answer, runs it and answers 304.
      const another = await listening();
      try {
        expect(await another.get(params, { ...CSRF, 'if-none-match': etag })).toMatchObject({ status: 304, early: false, headers: { etag } });
      } finally {
        await another.close();
      }
      // Counted and logged as a 304.
      const metrics = (await server.request('/metrics')).body;
      expect(metrics).toMatch(/graphql_yoga_http_duration_count\{operationName="Pair",operationType="unknown",method="GET",statusCode="304"\} [1-9]/);
      expect(logLines.filter((line) => line.msg === 'request' && line.status === 304).length).toBeGreaterThanOrEqual(current.length * 2);
    } finally {
      await server.close();
    }
  });

  it('serves GraphiQL\'s page as Yoga would, compressed once', async () => {
    const server = await listening();
    try {
      const page = (encoding: string) => server.request('/graphql', { accept: 'text/html', 'accept-encoding': encoding });
      // The page as Yoga renders it, from a request the early path leaves to Yoga (by a Yoga of its own).
      const yoga = serverWith();
      const rendered = await yoga.fetch('http://test/graphql', { headers: { accept: 'text/html' } });
      const fromYoga = { status: rendered.status, headers: Object.fromEntries(rendered.headers), body: await rendered.text() };
      expect(fromYoga.body).toContain('<title>Crisis knowledge base</title>');
      for (const encoding of ['', 'gzip', 'br', 'deflate', 'zstd', 'gzip, deflate, br, zstd', 'deflate-raw']) {
        const early = await page(encoding);
        expect(early.early, encoding).toBe(true);
        expect(comparable(early), encoding).toEqual(comparable({ ...fromYoga, headers: { ...fromYoga.headers, 'content-encoding': early.headers['content-encoding'] } }));
      }
    } finally {
      await server.close();
    }
  });

  it('logs and counts an early answer as any other, with the caller\'s request id', async () => {
    const server = await listening();
    try {
      await server.get(params, CSRF);
      logLines.splice(0);
      const hit = await server.get(params, { ...CSRF, 'x-request-id': 'early-1' });
      expect(hit).toMatchObject({ status: 200, early: true });
      expect(hit.headers['x-request-id']).toBe('early-1');
      expect(logLines.find((line) => line.msg === 'request' && line.requestId === 'early-1')).toMatchObject({ level: 30, method: 'GET', path: '/graphql', operation: 'Pair', status: 200 });
      const metrics = (await server.request('/metrics')).body;
      expect(metrics).toMatch(/graphql_envelop_request\{operationName="Pair",operationType="unknown"\} 1/);
      expect(metrics).toMatch(/graphql_yoga_http_duration_count\{operationName="Pair",operationType="unknown",method="GET",statusCode="200"\} 1/);
    } finally {
      await server.close();
    }
  });

  it('charges an early answer one point of its client\'s budget, and leaves it to Yoga past the budget', async () => {
    const server = await listening({ config: loadConfig({ RATE_LIMIT_POINTS: '15', RATE_LIMIT_WINDOW_SECONDS: '60' }) });
    try {
      // The miss runs the query, and is charged what it costs.
      const miss = await server.get(params, CSRF);
      const left = 15 - JSON.parse(miss.body).extensions.cost.requested;
      expect(miss.headers['ratelimit-remaining']).toBe(String(left));
      for (let remaining = left - 1; remaining >= 0; remaining--) {
        const hit = await server.get(params, CSRF);
        expect(hit).toMatchObject({ status: 200, early: true });
        expect(hit.headers).toMatchObject({ 'ratelimit-limit': '15', 'ratelimit-remaining': String(remaining) });
      }
      const refused = await server.get(params, CSRF);
      expect(refused).toMatchObject({ status: 429, early: false });
      expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('RATE_LIMITED');
    } finally {
      await server.close();
    }
  });
});

describe('persisted queries', () => {
  it('registers a query automatically (APQ) and then runs it by hash alone, over GET', async () => {
    const yoga = serverWith();
    const query = '{ actor(slug: "russia") { name } }';
    const hash = sha256(query);
    const unknown = await yoga.fetch(getUrl('', { extensions: persisted(hash) }).replace('query=&', ''));
    expect((await unknown.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: JSON.parse(persisted(hash)) }),
    });
    expect(withoutCost(await registered.json())).toEqual({ data: { actor: { name: 'Russia' } } });
    const byHash = await yoga.fetch(`http://test/graphql?extensions=${encodeURIComponent(persisted(hash))}`);
    expect(withoutCost(await byHash.json())).toEqual({ data: { actor: { name: 'Russia' } } });
    expect(byHash.headers.get('etag')).toMatch(/^"/);
  });

  it('runs but does not keep a document longer than the parser cache keeps', async () => {
    const yoga = serverWith();
    // Whitespace costs no tokens: without the bound, a thousand of these would keep a gigabyte.
    const query = `{ actor(slug: "russia") { name } }${' '.repeat(MAX_CACHED_DOCUMENT_LENGTH)}`;
    const extensions = persisted(sha256(query));
    const registered = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: JSON.parse(extensions) }),
    });
    expect(withoutCost(await registered.json())).toEqual({ data: { actor: { name: 'Russia' } } });
    const byHash = await yoga.fetch(`http://test/graphql?extensions=${encodeURIComponent(extensions)}`);
    expect((await byHash.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('knows the example operations by hash from the start', async () => {
    const response = await serverWith().fetch(`http://test/graphql?extensions=${encodeURIComponent(persisted(hashOf('Search')))}`);
    expect((await response.json()).data.search.nodes[0].name).toBe('Igor Kartavykh');
  });

  it('in allow-list mode runs the example operations by hash and nothing else', async () => {
    const yoga = serverWith({ config: loadConfig({ PERSISTED_OPERATIONS_ONLY: 'true' }) });
    const listed = await yoga.fetch(`http://test/graphql?extensions=${encodeURIComponent(persisted(hashOf('Search')))}`);
    expect((await listed.json()).data.search.nodes[0].name).toBe('Igor Kartavykh');
    const arbitrary = await yoga.fetch(getUrl('{ events(first: 1) { totalCount } }'));
    expect((await arbitrary.json()).errors[0].extensions.code).toBe('CANNOT_SEND_PQ_ID_AND_BODY');
    // Not even when the same document's answer is cached under its hash.
    const cached = await yoga.fetch(`http://test/graphql?extensions=${encodeURIComponent(persisted(hashOf('Search')))}`);
    expect(cached.headers.get('etag')).toMatch(/^"/);
    const inFull = await yoga.fetch(getUrl(manifest[hashOf('Search')]!));
    expect((await inFull.json()).errors[0].extensions.code).toBe('CANNOT_SEND_PQ_ID_AND_BODY');
    const unlisted = await yoga.fetch(`http://test/graphql?extensions=${encodeURIComponent(persisted(sha256('{ __typename }')))}`);
    expect((await unlisted.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});

describe('with Redis, instances share', () => {
  const prefix = `kbtest:${randomBytes(6).toString('hex')}:`;
  let redisA: Redis;
  let redisB: Redis;
  beforeAll(() => {
    redisA = new Redis(REDIS_URL, { keyPrefix: prefix });
    redisB = new Redis(REDIS_URL, { keyPrefix: prefix });
  });
  afterAll(async () => {
    const cleaner = new Redis(REDIS_URL);
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(keys);
    await cleaner.quit();
    await redisA?.quit();
    await redisB?.quit();
  });

  it('cached answers and their ETags, and automatically persisted queries', async () => {
    const a = serverWith({ redis: redisA });
    const b = serverWith({ redis: redisB });
    const url = getUrl('{ sources(first: 3) { totalCount nodes { slug } } }');
    const first = await a.fetch(url);
    const etag = first.headers.get('etag')!;
    expect((await b.fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect(await redisA.exists(etag)).toBe(1);

    const query = '{ actor(slug: "azerbaijan") { name } }';
    const extensions = JSON.parse(persisted(sha256(query)));
    await a.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions }),
    });
    const onB = await b.fetch(`http://test/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`);
    expect(withoutCost(await onB.json())).toEqual({ data: { actor: { name: 'Azerbaijan' } } });
  });
});

describe('with Redis, each request', () => {
  const prefix = `kbtest:${randomBytes(6).toString('hex')}:`;
  let redis: Redis;
  let monitor: Redis;
  const answerLookups: string[] = [];
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { keyPrefix: prefix });
    monitor = await new Redis(REDIS_URL).monitor();
    // Response-cache keys are quoted entity tags; persisted queries' keys start with `apq:`.
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'get' && args[1]?.startsWith(`${prefix}"`)) answerLookups.push(args[1]);
    });
  });
  afterAll(async () => {
    monitor?.disconnect();
    const cleaner = new Redis(REDIS_URL);
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(keys);
    await cleaner.quit();
    await redis?.quit();
  });

  it('looks its answer up in Redis once, hit or miss', async () => {
    const yoga = serverWith({ redis });
    const url = getUrl('{ sources(first: 2) { nodes { slug } } }');
    const miss = await yoga.fetch(url);
    expect((await miss.json()).data.sources.nodes).toHaveLength(2);
    const hit = await yoga.fetch(url);
    expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'));
    await hit.text();
    // MONITOR reports asynchronously; a PING on the same server comes back after what came before it.
    await redis.ping();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answerLookups).toEqual([miss.headers.get('etag')!, miss.headers.get('etag')!].map((etag) => `${prefix}${etag}`));
  });

  it('looks its answer up once over HTTP too, whether the answer comes ahead of Yoga or through it', async () => {
    answerLookups.splice(0);
    const server = await listening({ redis });
    try {
      const params = { query: '{ sources(first: 4) { nodes { slug } } }' };
      const miss = await server.get(params, { 'x-graphql-yoga-csrf': '1' });
      expect(miss).toMatchObject({ status: 200, early: false });
      const hit = await server.get(params, { 'x-graphql-yoga-csrf': '1', 'accept-encoding': 'gzip' });
      expect(hit).toMatchObject({ status: 200, early: true, headers: { 'content-encoding': 'gzip', etag: miss.headers.etag } });
      expect(withoutCost(JSON.parse(hit.body))).toEqual(withoutCost(JSON.parse(miss.body)));
      await redis.ping();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(answerLookups).toEqual([miss.headers.etag!, miss.headers.etag!].map((etag) => `${prefix}${etag}`));
    } finally {
      await server.close();
    }
  });
});

describe('with Redis unreachable', () => {
  it('answers uncached rather than failing, and still takes queries with their text', async () => {
    const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    try {
      const yoga = serverWith({ redis });
      const url = getUrl('{ actor(slug: "russia") { name } }');
      for (let i = 0; i < 2; i++) {
        const answer = await (await yoga.fetch(url)).json();
        expect(withoutCost(answer), JSON.stringify(logLines.filter((line) => line.level >= 50))).toEqual({ data: { actor: { name: 'Russia' } } });
      }
      const query = '{ actor(slug: "kremlin") { name } }';
      const registered = await yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, extensions: JSON.parse(persisted(sha256(query))) }),
      });
      expect(withoutCost(await registered.json())).toEqual({ data: { actor: { name: 'Kremlin' } } });
    } finally {
      redis.disconnect();
    }
  });
});

describe('for operators', () => {
  it('serves Prometheus metrics: requests and durations by operation, errors by code', async () => {
    const yoga = serverWith();
    await yoga.fetch(`http://test/graphql?extensions=${encodeURIComponent(persisted(hashOf('Search')))}`);
    await yoga.fetch(getUrl('query TooMany { events(first: 500) { totalCount } }'));
    await yoga.fetch(getUrl('{ nothingHere }'));
    const metrics = await yoga.fetch('http://test/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/graphql_envelop_request\{[^}]*operationName="Search"[^}]*\} 1/);
    expect(text).toMatch(/graphql_yoga_http_duration_bucket\{[^}]*operationName="Search"/);
    expect(text).toMatch(/graphql_envelop_error_result\{code="BAD_USER_INPUT",operationName="TooMany"[^}]*\} 1/);
    expect(text).toMatch(/graphql_envelop_error_result\{code="GRAPHQL_VALIDATION_FAILED"[^}]*\} 1/);
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('labels metrics with a bounded number of operation names, whatever names clients make up', async () => {
    const yoga = serverWith();
    const post = (body: Record<string, string>) =>
      yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const flood = MAX_LABELLED_OPERATION_NAMES + 50;
    for (let i = 0; i < flood; i++) {
      // Half run under a made-up name; half are refused, naming an operation their document lacks.
      if (i % 2 === 0) await post({ query: `query Made${i}Up { __typename }` });
      else await post({ query: '{ __typename }', operationName: `Missing${i}` });
    }
    await post({ query: `query ${'Long'.repeat(100)} { __typename }` });
    // The example operations are labelled by name even after the flood.
    await yoga.fetch(`http://test/graphql?extensions=${encodeURIComponent(persisted(hashOf('Search')))}`);
    const text = await (await yoga.fetch('http://test/metrics')).text();
    const names = new Set([...text.matchAll(/operationName="([^"]*)"/g)].map((match) => match[1]));
    expect(names.size).toBeLessThanOrEqual(MAX_LABELLED_OPERATION_NAMES + EXAMPLE_OPERATION_NAMES.length + 1);
    expect(names).toContain('Made0Up');
    expect(names).toContain('Missing1');
    expect(names).not.toContain(`Made${flood - 2}Up`);
    expect(names).not.toContain('Long'.repeat(100));
    expect(text).toMatch(new RegExp(`graphql_envelop_request\\{operationName="${OTHER_OPERATIONS.replace(/[()]/g, '\\$&')}",operationType="query"\\} \\d+`));
    expect(text).toMatch(/graphql_envelop_request\{operationName="Search"[^}]*\} 1/);
  });

  it('logs each request with its operation, and probes only at debug level', async () => {
    const yoga = serverWith();
    logLines.splice(0);
    await yoga.fetch(`http://test/graphql?extensions=${encodeURIComponent(persisted(hashOf('CountsForAChart')))}`, {
      headers: { 'x-request-id': 'op-log-1' },
    });
    await yoga.fetch('http://test/health', { headers: { 'x-request-id': 'probe-1' } });
    await yoga.fetch('http://test/ready', { headers: { 'x-request-id': 'probe-2' } });
    const cached = getUrl(manifest[hashOf('Search')]!, { operationName: 'Search' });
    await yoga.fetch(cached);
    await yoga.fetch(cached, { headers: { 'x-request-id': 'op-log-2' } });
    const line = (id: string) => logLines.find((entry) => entry.msg === 'request' && entry.requestId === id);
    expect(line('op-log-2')).toMatchObject({ level: 30, operation: 'Search' });
    expect(line('op-log-1')).toMatchObject({ level: 30, path: '/graphql', status: 200, operation: 'CountsForAChart' });
    expect(line('probe-1')).toMatchObject({ level: 20, path: '/health' });
    expect(line('probe-2')).toMatchObject({ level: 20, path: '/ready' });
  });
});
