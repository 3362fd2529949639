// HTTP figures for the README, on loopback against an in-process server over
// the seeded knowledge base (embedded, in memory): the size of large answers
// identity / gzip / brotli, and the latency of the same query uncached (POST),
// from the response cache (GET), and revalidated (GET with If-None-Match → 304).
// Medians of interleaved runs; bounded by --runs.
//   node --import tsx scripts/bench/http-caching.ts [--runs 50]
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadSeeds } from '../../src/db/seed.js';
import { readSeeds } from '../../src/db/seed-files.js';
import { persistedOperationsManifest } from '../../src/http/persisted-operations.js';
import { createServer, EXAMPLE_OPERATIONS } from '../../src/server.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' } } });
const runs = Math.min(Number(values.runs), 500);

const database = await openDatabase({ engine: 'pglite', dataDir: null });
await migrateToLatest(database.db);
await loadSeeds(database.db, readSeeds(), 'reset');
// Served as main.ts serves it: cached answers and their 304s ahead of Yoga, everything else through it.
const server = http.createServer(createServer({ db: database.db, logger: pino({ level: 'silent' }) }).httpListener);
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const operation = (name: string) => Object.values(persistedOperationsManifest(EXAMPLE_OPERATIONS)).find((text) => text.includes(`query ${name} `))!;

/** Bytes on the wire (node's fetch decompresses, so the raw socket's count is taken from a plain request). */
function wireBytes(path: string, init: { method?: string; body?: string; encoding?: string; accept?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${origin}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', accept: init.accept ?? 'application/json', ...(init.encoding ? { 'accept-encoding': init.encoding } : {}) },
    });
    request.on('response', (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve(bytes));
    });
    request.on('error', reject);
    request.end(init.body);
  });
}

console.log(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}, loopback\n`);
console.log('| answer | identity (bytes) | gzip (bytes) | brotli (bytes) | ratio gzip / brotli |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const name of ['TitForTat', 'ContestedClaims', 'TimelineJuneJuly2025']) {
  const body = JSON.stringify({ query: operation(name) });
  const [plain, gzip, br] = await Promise.all(
    [undefined, 'gzip', 'br'].map((encoding) => wireBytes('/graphql', { method: 'POST', body, encoding })),
  );
  console.log(`| ${name} | ${plain} | ${gzip} | ${br} | ${(plain! / gzip!).toFixed(1)} / ${(plain! / br!).toFixed(1)} |`);
}
const graphiql = await Promise.all([undefined, 'gzip'].map((encoding) => wireBytes('/graphql', { encoding, accept: 'text/html' })));
console.log(`| GraphiQL page | ${graphiql[0]} | ${graphiql[1]} | (not measured) | ${(graphiql[0]! / graphiql[1]!).toFixed(1)} / – |`);

const query = operation('TitForTat');
const getUrl = `${origin}/graphql?query=${encodeURIComponent(query)}`;
// A GET carries a CSRF header (README, "Browser safety"); without one it is refused, 403.
const CSRF = { 'x-graphql-yoga-csrf': '1' };
const first = await fetch(getUrl, { headers: CSRF });
const etag = first.headers.get('etag');
await first.text();
if (first.status !== 200 || etag === null) throw new Error(`the GET was answered ${first.status}${etag === null ? ' without an ETag' : ''}`);
const timings = { uncached: [] as number[], cached: [] as number[], revalidated: [] as number[] };
const timed = async (kind: keyof typeof timings, request: () => Promise<Response>, status: number) => {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  timings[kind].push(performance.now() - started);
  if (response.status !== status) throw new Error(`${kind}: answered ${response.status}, not ${status}`);
};
for (let run = 0; run < runs; run++) {
  await timed(
    'uncached',
    () => fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }),
    200,
  );
  await timed('cached', () => fetch(getUrl, { headers: CSRF }), 200);
  await timed('revalidated', () => fetch(getUrl, { headers: { ...CSRF, 'if-none-match': etag } }), 304);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`\nTitForTat (18 measures with their events, actors and answers), median of ${runs} interleaved requests:\n`);
console.log('| request | median (ms) |');
console.log('| --- | ---: |');
console.log(`| POST, executed (not cached) | ${median(timings.uncached).toFixed(1)} |`);
console.log(`| GET, answered from the response cache | ${median(timings.cached).toFixed(1)} |`);
console.log(`| GET with If-None-Match, 304 | ${median(timings.revalidated).toFixed(1)} |`);

server.close();
await database.close();
