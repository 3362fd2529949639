// Sends the hostile documents of issue 7 to a real server over loopback HTTP, with the default
// limits, and reports how each was answered, how long it took and what it did to memory:
//   npm run hostile
// Figures go to stdout and bench/hostile.md.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadSeeds } from '../src/db/seed.js';
import { readSeeds } from '../src/db/seed-files.js';
import { createServer } from '../src/server.js';

const exponential = (times: number) => {
  let inner = 'name';
  for (let i = 0; i < times; i++) inner = `events(first: 1) { nodes { participants { actor { name ${inner} } } } }`;
  return `{ actors(first: 1) { nodes { ${inner} } } }`;
};
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: events(first: 1) { totalCount }`).join(' ')} }`;

const DOCUMENTS: { name: string; body: string }[] = [
  { name: 'exponential nesting, 18 times', body: JSON.stringify({ query: exponential(18) }) },
  { name: 'exponential nesting, 40 times', body: JSON.stringify({ query: exponential(40) }) },
  { name: '1,000 aliases of one field', body: JSON.stringify({ query: aliases(1_000) }) },
  { name: '10,000 aliases of one field', body: JSON.stringify({ query: aliases(10_000) }) },
  { name: 'one field repeated 10,000 times', body: JSON.stringify({ query: `{ ${'__typename '.repeat(10_000)}}` }) },
  { name: '2,000,000 tokens', body: JSON.stringify({ query: `{ ${'a '.repeat(2_000_000)}}` }) },
  { name: '450,000 tokens (under the body limit)', body: JSON.stringify({ query: `{ ${'a '.repeat(450_000)}}` }) },
  { name: '100,000 IDs in nodes(ids)', body: JSON.stringify({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: Array.from({ length: 100_000 }, (_, i) => `x${i}`) } }) },
  { name: 'filter.text of 1 MB', body: JSON.stringify({ query: 'query($t: String) { events(filter: { text: $t }) { totalCount } }', variables: { t: 'x'.repeat(1_000_000) } }) },
  { name: 'filter.text of 900 KB (under the body limit)', body: JSON.stringify({ query: 'query($t: String) { events(filter: { text: $t }) { totalCount } }', variables: { t: 'x '.repeat(450_000) } }) },
  { name: 'a NUL byte in a slug', body: JSON.stringify({ query: '{ event(slug: "a\\u0000b") { title } }' }) },
];

const database = await openDatabase({ engine: 'pglite', dataDir: null });
await migrateToLatest(database.db);
await loadSeeds(database.db, readSeeds(), 'if-empty', () => {});
const server = http.createServer(createServer({ db: database.db, logger: pino({ level: 'silent' }), config: loadConfig({ RATE_LIMIT_POINTS: '0' }) }));
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
await post(JSON.stringify({ query: '{ events(first: 1) { totalCount } }' }));

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const rows: string[] = [];
for (const { name, body } of DOCUMENTS) {
  const times: number[] = [];
  let answer = '';
  let rssGrowth = 0;
  for (let run = 0; run < 5; run++) {
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    const response = await post(body);
    const text = await response.text();
    times.push(performance.now() - started);
    rssGrowth = Math.max(rssGrowth, process.memoryUsage().rss - rss);
    const codes = [...new Set(((JSON.parse(text).errors ?? []) as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code))];
    answer = `${response.status} ${codes.join(', ') || 'data'}`;
  }
  times.sort((a, b) => a - b);
  const row = `| ${name} | ${mb(Buffer.byteLength(body))} MB | ${answer} | ${times[2]!.toFixed(1)} ms | ${times[4]!.toFixed(1)} ms | ${mb(rssGrowth)} MB |`;
  console.log(row);
  rows.push(row);
}
// Distinct large documents, which a cache keyed by the document's text would keep.
{
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  for (let i = 0; i < 300; i++) await (await post(JSON.stringify({ query: `{ event(slug: "${i}${'x'.repeat(900_000)}") { title } }` }))).text();
  const row = `| 300 distinct documents of 900 KB (a 900 KB string literal each) | 270 MB in all | 200 BAD_USER_INPUT | ${((performance.now() - started) / 300).toFixed(1)} ms each | | ${mb(process.memoryUsage().rss - rss)} MB after all 300 |`;
  console.log(row);
  rows.push(row);
}
// Distinct requests that the server's own caches and registries would each keep: answers, compiled
// documents, persisted queries and metrics series must all stay bounded however many a client sends.
const floodRows: string[] = [];
{
  const lists = ['2024', '2025', '2023'].map(
    (year, i) => `l${i}: events(first: 100, filter: { from: "${year}-01-01" }) { nodes { id title summary participants { role actor { id name aliases } } citations { quote source { id title } } } }`,
  );
  const get = (i: number) =>
    fetch(`${url}?${new URLSearchParams({ query: `query Flood${i} { ${lists.join(' ')} }` })}`, { headers: { 'x-graphql-yoga-csrf': '1' } });
  // Run twice with fresh requests: what is bounded grows in the first round and hardly in the second.
  // The heap after a full collection (`npm run hostile` runs Node with --expose-gc): RSS, which includes PGlite's, is too noisy here.
  const liveHeap = () => (globalThis.gc?.(), process.memoryUsage().heapUsed);
  const flood = async (name: string, count: number, send: (i: number) => Promise<Response>, from = 0) => {
    const heap = liveHeap();
    let bytes = 0;
    for (let i = from; i < from + count; i++) bytes += (await (await send(i)).text()).length;
    const row = `| ${name} | ${count} | ${(bytes / count / 1024).toFixed(0)} KB | ${mb(liveHeap() - heap)} MB |`;
    console.log(row);
    floodRows.push(row);
  };
  await flood('distinct GETs of three lists of events (cached answers, parsed documents)', 400, get);
  await flood('400 more such GETs', 400, get, 400);
  const twice = async (i: number) => {
    const body = JSON.stringify({ query: `query Twice${i} { ${lists.join(' ')} }` });
    await (await post(body)).text();
    return post(body);
  };
  await flood('distinct documents POSTed twice each (compiled at the second run)', 200, twice);
  await flood('200 more such documents', 200, twice, 200);
  const padded = (i: number) => {
    const query = `query Padded${i} { __typename }${' '.repeat(900_000)}`;
    return post(JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } } }));
  };
  await flood('automatically persisted queries of 900 KB each (whitespace costs no tokens)', 150, padded);
  await flood('150 more such queries', 150, padded, 150);
  const metricsBefore = (await (await fetch(url.replace('/graphql', '/metrics'))).text()).length;
  await flood('operation names made up (metrics series)', 300, (i) => post(JSON.stringify({ query: `query Made${i}Up { __typename }` })));
  const metricsAfter = (await (await fetch(url.replace('/graphql', '/metrics'))).text()).length;
  const row = `| \`/metrics\` after the made-up names | | | ${(metricsBefore / 1024).toFixed(0)} KB before, ${(metricsAfter / 1024).toFixed(0)} KB after |`;
  console.log(row);
  floodRows.push(row);
}
// The server must still answer, and the process must not hold on to what the refused requests cost.
const health = await post(JSON.stringify({ query: '{ __typename }' }));
console.log(`health afterwards: ${health.status}; RSS ${mb(process.memoryUsage().rss)} MB`);
server.close();
await database.close();

mkdirSync(new URL('../bench/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('../bench/hostile.md', import.meta.url),
  [
    '# Hostile documents',
    '',
    `Written by \`npm run hostile\` (scripts/hostile.ts) on ${new Date().toISOString().slice(0, 10)}, ${process.version}, PGlite in memory, default limits,`,
    'over loopback HTTP, five requests each (the server, client and database share one process, so RSS is the whole).',
    '',
    '| document | body | answer (HTTP, codes) | median | slowest | largest RSS growth in one request |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
    ...rows,
    '',
    `Afterwards \`{ __typename }\` answered ${health.status}.`,
    '',
    '## Floods of distinct requests',
    '',
    'Each request of a flood differs from the others, so anything the server keeps per document, answer or name would grow',
    'with the flood; the caches are bounded by count and size instead (README, Reliability).',
    '',
    '| flood | requests | answer, average | live heap growth over the flood |',
    '| --- | ---: | ---: | ---: |',
    ...floodRows,
    '',
  ].join('\n'),
);
