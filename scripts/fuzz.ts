// Sends thousands of random documents, generated from the served schema, to a real server over
// loopback HTTP, and checks every answer: no 5xx, no unmasked message, no error without a code,
// and `{ __typename }` answered after every batch of 100.
//   npm run fuzz -- [--count 3000] [--seed 7] [--engine pglite|postgres] [--server postgres://postgres@127.0.0.1:5432/test]
// With --engine postgres, the server URL names a database to connect to for creating (and
// afterwards dropping) a database of the fuzzer's own. Figures go to stdout and bench/fuzz.md.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadSeeds } from '../src/db/seed.js';
import { readSeeds } from '../src/db/seed-files.js';
import { schema } from '../src/schema/index.js';
import { createServer } from '../src/server.js';
import { adminQuery, databaseUrl } from '../tests/helpers/engine.js';
import { generateRequests } from './fuzz/documents.js';
import { runFuzz } from './fuzz/run.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '7' },
    engine: { type: 'string', default: 'pglite' },
    server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);

let database: Database;
let dropDatabase = async () => {};
if (values.engine === 'postgres') {
  const name = `crisis_kb_fuzz_${randomBytes(4).toString('hex')}`;
  await adminQuery(values.server, `create database ${name}`);
  dropDatabase = async () => void (await adminQuery(values.server, `drop database if exists ${name} with (force)`));
  database = await openDatabase({ engine: 'postgres', url: databaseUrl(values.server, name) });
} else {
  database = await openDatabase({ engine: 'pglite', dataDir: null });
}

try {
  await migrateToLatest(database.db);
  await loadSeeds(database.db, readSeeds(), 'if-empty', () => {});
  // The fuzzer sends far more than one client's budget; every other limit stays at its default.
  const config = loadConfig({ RATE_LIMIT_POINTS: '0' });
  const server = http.createServer(createServer({ db: database.db, logger: pino({ level: 'silent' }), config }));
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/graphql`;

  const requests = generateRequests(schema, count, seed);
  const rssBefore = process.memoryUsage().rss;
  const figures = await runFuzz(requests, async (body) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: response.status, text: await response.text() };
  });
  const rssAfter = process.memoryUsage().rss;
  server.close();

  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const summary = {
    engine: values.engine,
    node: process.version,
    seed,
    ...figures,
    totalMs: Math.round(figures.totalMs),
    slowestMs: Math.round(figures.slowestMs),
    rssMb: { before: mb(rssBefore), after: mb(rssAfter) },
  };
  console.log(JSON.stringify(summary, null, 2));

  const row = `| ${new Date().toISOString().slice(0, 10)} | ${values.engine} | ${process.version} | ${seed} | ${figures.documents} | ${figures.clean} / ${figures.partial} / ${figures.refused} | ${figures.serverErrors} | ${figures.internal} | ${figures.unmasked} | ${figures.withoutCode} | ${figures.healthFailures} | ${(figures.totalMs / 1000).toFixed(1)} s | ${summary.slowestMs} ms |`;
  const path = new URL('../bench/fuzz.md', import.meta.url);
  mkdirSync(new URL('../bench/', import.meta.url), { recursive: true });
  let existing = '';
  try {
    existing = readFileSync(path, 'utf8');
  } catch {
    existing = [
      '# Fuzz runs',
      '',
      'Written by `npm run fuzz` (scripts/fuzz.ts): distinct random documents from the served schema, sent over loopback HTTP,',
      '`{ __typename }` after every 100. Answers: clean (data, no error) / partial (data and errors) / refused (errors only).',
      '',
      '| date | engine | node | seed | documents | clean / partial / refused | 5xx | masked internal errors | unmasked messages | errors without a code | failed health checks | total | slowest |',
      '| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      '',
    ].join('\n');
  }
  writeFileSync(path, `${existing}${row}\n`);
  const failed = figures.serverErrors + figures.internal + figures.unmasked + figures.withoutCode + figures.healthFailures;
  if (failed > 0) console.error(`FAILED: ${failed} problem(s); the first: ${JSON.stringify(figures.problems.slice(0, 5), null, 2)}`);
  process.exitCode = failed > 0 ? 1 : 0;
} finally {
  await database.close();
  await dropDatabase();
}
