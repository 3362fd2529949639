// Times representative operations on a synthetic knowledge base of 20,000
// events, on the embedded engine and on a Postgres server, in one run:
//   npm run bench -- [--events 20000] [--runs 25] [--server postgres://postgres@127.0.0.1:5432/test]
// The server URL names a database to connect to for creating (and afterwards
// dropping) a database of the benchmark's own. Figures are medians of runs
// that interleave the operations, so a noisy neighbour hits all of them alike.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { type Database, openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadSeeds } from '../../src/db/seed.js';
import { createServer } from '../../src/server.js';
import { syntheticSeeds } from './synthetic.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '25' },
    server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const runs = Number(values.runs);
const seeds = syntheticSeeds(events);

const NESTED = (first: number) => `{ events(first: ${first}) { nodes {
  participants { actor { affiliations { organization { name } } } }
  citations { source { title } }
  measure { initiator { name } } } } }`;

interface Operation {
  readonly name: string;
  readonly query: string;
}

async function operationsFor(run: (query: string) => Promise<any>): Promise<Operation[]> {
  const pageOf = (size: number, after: string | null) =>
    `{ events(first: ${size}${after ? `, after: "${after}"` : ''}) { edges { cursor node { id title date { iso } } } pageInfo { hasNextPage } } }`;
  // The page after the cursor 3 from the end is the last page of 2: page 10,000 of 20,000 events.
  const nearEnd = (await run('{ events(last: 3) { pageInfo { startCursor } } }')).events.pageInfo.startCursor;
  const lastOf20 = (await run('{ events(last: 21) { pageInfo { startCursor } } }')).events.pageInfo.startCursor;
  const actor = (await run('{ actors(first: 1, filter: { kind: [STATE] }) { nodes { id } } }')).actors.nodes[0].id;
  return [
    { name: 'events, page 1 of 2', query: pageOf(2, null) },
    { name: `events, page ${events / 2} of 2`, query: pageOf(2, nearEnd) },
    { name: 'events, page 1 of 20', query: pageOf(20, null) },
    { name: `events, page ${events / 20} of 20`, query: pageOf(20, lastOf20) },
    { name: 'nested page of 5 events', query: NESTED(5) },
    { name: 'nested page of 50 events', query: NESTED(50) },
    { name: 'events of a state in 2025, with total', query: `{ events(first: 20, filter: { actor: "${actor}", from: "2025-01-01" }) { totalCount nodes { title } } }` },
    { name: 'search "crash raid"', query: '{ search(query: "crash raid", first: 20) { nodes { __typename } } }' },
    { name: 'search misspelt "Alais 123"', query: '{ search(query: "Alais 123", first: 5) { nodes { __typename } } }' },
    { name: 'eventCounts by MONTH', query: '{ eventCounts(by: MONTH) { key count } }' },
    { name: 'measureCounts by INITIATOR since 2020', query: '{ measureCounts(by: INITIATOR, filter: { from: "2020-01-01" }) { label count } }' },
  ];
}

interface Result {
  readonly medianMs: number;
  readonly statements: number;
}

async function measure(database: Database, statements: { count: number }): Promise<Map<string, Result>> {
  const yoga = createServer({ db: database.db, logger: pino({ level: 'silent' }) });
  const run = async (query: string) => {
    const response = await yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(`${query}\n${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const operations = await operationsFor(run);
  const times = new Map(operations.map((op) => [op.name, [] as number[]]));
  const counts = new Map<string, number>();
  for (let i = 0; i < runs + 3; i++) {
    for (const op of operations) {
      statements.count = 0;
      const started = performance.now();
      await run(op.query);
      // The first three rounds warm caches and the JIT; they are not counted.
      if (i >= 3) times.get(op.name)!.push(performance.now() - started);
      counts.set(op.name, statements.count);
    }
  }
  return new Map(
    operations.map((op) => {
      const sorted = times.get(op.name)!.sort((a, b) => a - b);
      return [op.name, { medianMs: sorted[Math.floor(sorted.length / 2)]!, statements: counts.get(op.name)! }];
    }),
  );
}

async function onEngine(name: string, open: (log: (event: any) => void) => Promise<Database>): Promise<Map<string, Result>> {
  const statements = { count: 0 };
  const database = await open((event) => {
    if (event.level === 'query') statements.count += 1;
  });
  try {
    await migrateToLatest(database.db);
    const started = performance.now();
    await loadSeeds(database.db, seeds, 'reset', (message) => process.stderr.write(`  ${name}: loading ${message}\n`));
    process.stderr.write(`  ${name}: loaded in ${Math.round(performance.now() - started)} ms; measuring ${runs} rounds\n`);
    return await measure(database, statements);
  } finally {
    await database.close();
  }
}

const results: [string, Map<string, Result>][] = [];
results.push(['PGlite', await onEngine('PGlite', (log) => openDatabase({ engine: 'pglite', dataDir: null }, { log }))]);

if (!values['skip-postgres']) {
  const admin = new pg.Client({ connectionString: values.server });
  await admin.connect();
  const benchDatabase = `kb_bench_${process.pid}`;
  await admin.query(`create database ${benchDatabase}`);
  try {
    const url = new URL(values.server);
    url.pathname = `/${benchDatabase}`;
    results.push(['Postgres', await onEngine('Postgres', (log) => openDatabase({ engine: 'postgres', url: url.toString() }, { log }))]);
  } finally {
    await admin.query(`drop database if exists ${benchDatabase} with (force)`);
    await admin.end();
  }
}

const names = [...results[0]![1].keys()];
console.log(`\n${events} events, ${seeds.claims.length} claims, ${seeds.actors.length} actors; median of ${runs} in-process requests (ms)\n`);
console.log(`| operation | ${results.map(([engine]) => engine).join(' | ')} | SQL statements |`);
console.log(`| --- | ${results.map(() => '---:').join(' | ')} | ---: |`);
for (const name of names) {
  const cells = results.map(([, byName]) => byName.get(name)!.medianMs.toFixed(1));
  console.log(`| ${name} | ${cells.join(' | ')} | ${results[0]![1].get(name)!.statements} |`);
}
for (const [engine, byName] of results) {
  const ratio = (a: string, b: string) => (byName.get(a)!.medianMs / byName.get(b)!.medianMs).toFixed(2);
  console.log(
    `\n${engine}: last page / first page = ${ratio(`events, page ${events / 2} of 2`, 'events, page 1 of 2')} (pages of 2), ` +
      `${ratio(`events, page ${events / 20} of 20`, 'events, page 1 of 20')} (pages of 20); ` +
      `50 / 5 nested events = ${ratio('nested page of 50 events', 'nested page of 5 events')} in time, ` +
      `${byName.get('nested page of 50 events')!.statements} / ${byName.get('nested page of 5 events')!.statements} statements`,
  );
}
