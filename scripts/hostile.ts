// Sends the hostile documents of issue 7 to a real server over loopback HTTP, with the default
// limits, and reports how each was answered, how long it took and what it did to memory:
//   npm run hostile
// Figures go to stdout and bench/hostile.md.
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
  ].join('\n'),
);
