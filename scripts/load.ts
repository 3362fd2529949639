// A bounded load test on loopback: the real server process on Postgres, a mixed
// workload (timeline pages, measures, search, node lookups, counts) from
// autocannon at 50 connections for 60 s, then a report in bench/load.md:
//   npm run load -- [--connections 50] [--seconds 60] [--server postgres://postgres@127.0.0.1:5432/test]
//   DATABASE_URL=postgres://… npm run load     # use that database as it is, create and drop nothing
// Without DATABASE_URL it creates a database of its own on --server, and drops it afterwards.
// A request fails when its status is not 200 or its body has `errors`; any failure exits 1.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { adminQuery, databaseUrl } from '../tests/helpers/engine.js';
import { type ServerProcess, startServerProcess } from '../tests/helpers/server-process.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    out: { type: 'string', default: 'bench/load.md' },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);
// Bounded whatever the arguments say: this is a test of our own server, not a tool for loading others.
if (!(connections >= 1 && connections <= 200 && seconds >= 4 && seconds <= 600)) {
  throw new Error('--connections must be 1–200 and --seconds 4–600');
}

const given = process.env.DATABASE_URL;
const ownName = `kb_load_${process.pid}`;

const admin = (statement: string) => adminQuery(values.server, statement);

/** The server's resident set, from /proc (Linux), in MiB. */
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function graphql(port: number, query: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (response.status !== 200 || body.errors) throw new Error(`setup query failed: ${JSON.stringify(body)}`);
  return body.data;
}

async function workload(port: number): Promise<{ name: string; query: string }[]> {
  const ids = (await graphql(port, '{ events(first: 10) { nodes { id } } actors(first: 10) { nodes { id } } }')) as {
    events: { nodes: { id: string }[] };
    actors: { nodes: { id: string }[] };
  };
  const eventIds = ids.events.nodes.map((node) => node.id);
  const actorIds = ids.actors.nodes.map((node) => node.id);
  return [
    {
      name: 'timeline page',
      query: `{ events(filter: { from: "2025-01-01", to: "2025-12-31" }, first: 20) { totalCount pageInfo { endCursor hasNextPage }
        nodes { date { iso precision } title category location { name } participants { role note actor { name } } } } }`,
    },
    {
      name: 'measures',
      query: '{ measures(first: 50) { nodes { kind initiator { name } target { name } event { date { iso } title } inResponseTo { title measure { initiator { name } } } } } }',
    },
    { name: 'search (misspelt)', query: '{ search(query: "Kartavyh", first: 10) { nodes { __typename ... on Actor { name } ... on Event { title } } } }' },
    { name: 'search (words)', query: '{ search(query: "crash raid", first: 10) { totalCount nodes { __typename ... on Event { title } ... on Claim { statement } } } }' },
    {
      name: 'node lookups',
      query: `{ nodes(ids: ${JSON.stringify([...eventIds, ...actorIds])}) { id ... on Event { title } ... on Actor { name } }
        node(id: ${JSON.stringify(eventIds[0])}) { id ... on Event { title citations { quote source { title } } } } }`,
    },
    {
      name: 'event by slug',
      query: '{ event(slug: "yekaterinburg-arrests") { title responses { kind initiator { name country { name } } event { title } } } }',
    },
    {
      name: 'counts',
      query: '{ eventCounts(by: MONTH, filter: { from: "2024-01-01" }) { key count } measureCounts(by: INITIATOR_STATE) { label count actor { slug } } }',
    },
  ];
}

let server: ServerProcess | undefined;
let created = false;
try {
  if (!given) {
    await admin(`drop database if exists ${ownName} with (force)`);
    await admin(`create database ${ownName}`);
    created = true;
  }
  server = await startServerProcess({ DATABASE_URL: given ?? databaseUrl(values.server, ownName), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  const { port } = server;
  const pid = server.child.pid!;
  const operations = await workload(port);

  const failures = new Map<string, number>();
  const failuresBy = new Map<string, number>();
  const samples: { at: number; rss: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(() => samples.push({ at: (Date.now() - started) / 1000, rss: rssMiB(pid) }), 1000);
  samples.push({ at: 0, rss: rssMiB(pid) });

  console.log(`load: ${connections} connections for ${seconds} s, ${operations.length} operations in turn, server pid ${pid}`);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections,
    duration: seconds,
    timeout: 30,
    requests: operations.map(({ name, query }) => ({
      method: 'POST' as const,
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      onResponse: (status: number, body: string) => {
        if (status === 200 && !body.includes('"errors"')) return;
        const key = `${status} ${body.slice(0, 200)}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
        failuresBy.set(name, (failuresBy.get(name) ?? 0) + 1);
      },
    })),
  });
  clearInterval(sampler);
  samples.push({ at: (Date.now() - started) / 1000, rss: rssMiB(pid) });

  const half = samples.reduce((best, sample) => (Math.abs(sample.at - seconds / 2) < Math.abs(best.at - seconds / 2) ? sample : best));
  const end = samples.at(-1)!;
  const growth = (end.rss - half.rss) / half.rss;
  const failed = [...failures.values()].reduce((sum, n) => sum + n, 0) + result.errors + result.timeouts;
  const report = [
    `## Load: ${connections} connections, ${seconds} s, mixed workload on Postgres`,
    '',
    `Measured ${new Date().toISOString()} on ${os.cpus().length} cores (load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')} at the end), Node ${process.version}, \`npm run load\`.`,
    '',
    '| figure | value |',
    '| --- | ---: |',
    `| requests | ${result.requests.total} |`,
    `| failed requests (non-200, GraphQL errors, socket errors, timeouts) | ${failed} |`,
    `| throughput, mean req/s | ${result.requests.average.toFixed(0)} |`,
    `| latency p50 / p90 / p99 / max, ms | ${result.latency.p50} / ${result.latency.p90} / ${result.latency.p99} / ${result.latency.max} |`,
    `| server RSS at start, MiB | ${samples[0]!.rss.toFixed(1)} |`,
    `| server RSS at ${half.at.toFixed(0)} s (second half starts) / at the end, MiB | ${half.rss.toFixed(1)} / ${end.rss.toFixed(1)} |`,
    `| RSS growth over the second half | ${(growth * 100).toFixed(1)}% |`,
    '',
    `Operations, sent in turn on every connection: ${operations.map((operation) => operation.name).join(', ')}.`,
    '',
  ].join('\n');
  console.log(report);
  for (const [key, n] of failures) console.log(`  ${n} × ${key}`);
  mkdirSync('bench', { recursive: true });
  writeFileSync(values.out!, `${report}\n`);
  if (failed > 0 || growth >= 0.1) {
    console.error(failed > 0 ? `FAILED: ${failed} failed requests (${JSON.stringify(Object.fromEntries(failuresBy))})` : 'FAILED: RSS grew by 10% or more');
    process.exitCode = 1;
  }
} finally {
  await server?.stop('SIGTERM');
  if (created) await admin(`drop database if exists ${ownName} with (force)`);
}
