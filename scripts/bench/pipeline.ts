// Where a cheap request's time goes, between the SQL floor and this server:
//   npm run bench:pipeline -- [--duration 4] [--rounds 3]
// Three cheap workloads (`{ __typename }`, the first page of 20 events, ten `node` lookups)
// POSTed to five servers on the benchmark's Node, one at a time, in alternating order: this server as
// `npm start` runs it; Yoga with the same schema, context and data layer and Yoga's defaults, none
// of our plugins (pipeline/bare-yoga.mjs), and the same with graphql-jit executing and without the
// stream Yoga's maxRequestBodySize pipes every body through (Yoga's least pipeline); the same schema
// compiled by graphql-jit, with the same context and data layer, behind bare node:http
// (pipeline/bare-http.mjs); and the SQL floor of `npm run bench` (floor.mjs: one hand-written
// statement building the JSON in Postgres). CPU per request from /proc over each run at c=16; p50
// from a run at c=1. Loopback only; about six minutes. Needs the database `npm run gen` fills
// (BENCH_DATABASE_URL). Writes its section of bench/RESULTS.md.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eventsPage, NODE_LOOKUP_IDS, nodeLookups } from './pages.js';
import { median, RESULTS_FILE, writeSection } from './results-file.js';
import { BENCH_DATABASE, benchNode, benchServerEnv, startFlags } from './start-command.js';
import { measure, wrk } from './wrk.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    database: { type: 'string', default: BENCH_DATABASE },
    duration: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    port: { type: 'string', default: '4795' },
    out: { type: 'string', default: RESULTS_FILE },
  },
});
const DURATION = Number(values.duration);

type Bodies = { graphql: unknown; floor?: unknown };
const WORKLOADS: { label: string; bodies: Bodies }[] = [
  { label: '`{ __typename }`', bodies: { graphql: { query: '{ __typename }' } } },
  {
    label: 'first page: 20 events by date',
    bodies: { graphql: { query: eventsPage(null) }, floor: { op: 'page', args: { after: null, first: 20 } } },
  },
  {
    label: 'ten `node` lookups of events',
    bodies: {
      graphql: { query: nodeLookups(NODE_LOOKUP_IDS) },
      floor: { op: 'nodes', args: { ids: NODE_LOOKUP_IDS } },
    },
  },
];

const node = benchNode();
const nodeVersion = execFileSync(node, ['-v'], { encoding: 'utf8' }).trim();
execFileSync(node, [path.join(ROOT, 'scripts/transpile.mjs')], { cwd: ROOT, stdio: 'inherit' });

const SYSTEMS = [
  { label: 'this server (`npm start`)', args: [...startFlags(), 'dist/main.js'], speaks: 'graphql' },
  { label: "Yoga's defaults, none of our plugins", args: [path.join(import.meta.dirname, 'pipeline/bare-yoga.mjs')], speaks: 'graphql' },
  {
    label: "Yoga's least: graphql-jit, no body-size stream, none of our plugins",
    args: [path.join(import.meta.dirname, 'pipeline/bare-yoga.mjs'), '--jit', '--no-body-stream'],
    speaks: 'graphql',
  },
  { label: 'no Yoga: bare `node:http` and graphql-jit', args: [path.join(import.meta.dirname, 'pipeline/bare-http.mjs')], speaks: 'graphql' },
  { label: 'SQL floor (`floor.mjs`)', args: [path.join(import.meta.dirname, 'floor.mjs')], speaks: 'floor' },
] as const;

const running: { label: string; speaks: keyof Bodies; url: string; process: ChildProcess }[] = SYSTEMS.map((system, i) => {
  const port = Number(values.port) + i;
  return {
    label: system.label,
    speaks: system.speaks,
    url: `http://127.0.0.1:${port}/graphql`,
    process: spawn(node, system.args, { cwd: ROOT, env: benchServerEnv(values.database, port), stdio: ['ignore', 'ignore', 'inherit'] }),
  };
});

/** Whether a server answers the first page without errors. */
async function answers(system: (typeof running)[number]): Promise<boolean> {
  const body = WORKLOADS[1]!.bodies[system.speaks];
  const response = await fetch(system.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
  const answer = response?.status === 200 ? await response.json() : null;
  return answer !== null && answer.errors === undefined;
}

try {
  for (const system of running) {
    for (let waited = 0; !(await answers(system)); waited += 250) {
      if (system.process.exitCode !== null || waited > 60_000) throw new Error(`${system.label} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (const { bodies } of WORKLOADS) if (bodies[system.speaks] !== undefined) wrk(system.url, bodies[system.speaks], 16, 2, 'POST');
  }
  const figures = WORKLOADS.map(() => running.map(() => ({ cpu: [] as number[], p50: [] as number[], rps: [] as number[] })));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [w, { bodies }] of WORKLOADS.entries()) {
      const order = round % 2 === 0 ? [...running.entries()] : [...running.entries()].reverse();
      for (const [i, system] of order) {
        const body = bodies[system.speaks];
        if (body === undefined) continue;
        const { cpu, rps, p50 } = measure(system.url, body, system.process.pid!, DURATION);
        figures[w]![i]!.cpu.push(cpu);
        figures[w]![i]!.rps.push(rps);
        figures[w]![i]!.p50.push(p50);
      }
    }
  }
  const floor = running.findIndex((system) => system.speaks === 'floor');
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:pipeline\` on ${values.database.replace(/^.*\//, '')}: each workload POSTed to each server ` +
      `(Node ${nodeVersion}), ${values.rounds} alternating rounds of ${DURATION} s at concurrency 16 (CPU from /proc, req/s) and ${DURATION} s at 1 (p50); medians.`,
    '',
    '| workload | server | CPU µs/request | req/s at c=16 | p50 ms at c=1 | p50 / floor |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...WORKLOADS.flatMap(({ label }, w) =>
      running.flatMap((system, i) => {
        const { cpu, rps, p50 } = figures[w]![i]!;
        if (cpu.length === 0) return [];
        const floorP50 = figures[w]![floor]!.p50;
        const ratio = floorP50.length === 0 || i === floor ? '' : (median(p50) / median(floorP50)).toFixed(2);
        return [`| ${i === 0 ? label : ''} | ${system.label} | ${median(cpu).toFixed(0)} | ${median(rps).toFixed(0)} | ${median(p50).toFixed(2)} | ${ratio} |`];
      }),
    ),
  ];
  writeSection(values.out, 'pipeline', lines);
  console.log(lines.join('\n'));
} finally {
  for (const system of running) system.process.kill('SIGTERM');
}
