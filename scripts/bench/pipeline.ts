// What Yoga's pipeline costs a request, against the same schema without it:
//   npm run bench:pipeline -- [--duration 4] [--rounds 3]
// `{ __typename }` POSTed to three servers on the benchmark's Node, one at a time, rounds
// alternating: this server as `npm start` runs it; Yoga with the same schema and its defaults,
// none of our plugins (pipeline/bare-yoga.mjs); the schema compiled by graphql-jit behind bare
// node:http (pipeline/bare-http.mjs). CPU per request from /proc over each run at c=16; p50 from
// a run at c=1. Loopback only; about a minute. Needs a migrated database for this server
// (BENCH_DATABASE_URL; any size). Writes its section of bench/RESULTS.md.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, RESULTS_FILE, writeSection } from './results-file.js';
import { BENCH_DATABASE, benchNode, benchServerEnv, startFlags } from './start-command.js';
import { cpuMs, wrk } from './wrk.js';

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
const BODY = { query: '{ __typename }' };

const node = benchNode();
const nodeVersion = execFileSync(node, ['-v'], { encoding: 'utf8' }).trim();
execFileSync(node, [path.join(ROOT, 'scripts/transpile.mjs')], { cwd: ROOT, stdio: 'inherit' });

const SYSTEMS = [
  { label: 'this server (`npm start`)', args: [...startFlags(), 'dist/main.js'] },
  { label: "Yoga's defaults, none of our plugins", args: [path.join(import.meta.dirname, 'pipeline/bare-yoga.mjs')] },
  { label: 'no Yoga: bare `node:http` and graphql-jit', args: [path.join(import.meta.dirname, 'pipeline/bare-http.mjs')] },
];

const running: { label: string; url: string; process: ChildProcess }[] = SYSTEMS.map((system, i) => {
  const port = Number(values.port) + i;
  return {
    label: system.label,
    url: `http://127.0.0.1:${port}/graphql`,
    process: spawn(node, system.args, { cwd: ROOT, env: benchServerEnv(values.database, port), stdio: ['ignore', 'ignore', 'inherit'] }),
  };
});

async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BODY) }).catch(() => null);
  const answer = response?.status === 200 ? await response.json() : null;
  return answer?.data?.__typename === 'Query' && answer.errors === undefined;
}

try {
  for (const system of running) {
    for (let waited = 0; !(await answers(system.url)); waited += 250) {
      if (system.process.exitCode !== null || waited > 60_000) throw new Error(`${system.label} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    wrk(system.url, BODY, 16, 3, 'POST');
  }
  const figures = running.map(() => ({ cpu: [] as number[], p50: [] as number[], rps: [] as number[] }));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [i, system] of running.entries()) {
      const before = cpuMs(system.process.pid!);
      const loaded = wrk(system.url, BODY, 16, DURATION);
      figures[i]!.cpu.push(((cpuMs(system.process.pid!) - before) * 1000) / loaded.requests);
      figures[i]!.rps.push(loaded.rps);
      figures[i]!.p50.push(wrk(system.url, BODY, 1, DURATION).p50);
    }
  }
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:pipeline\`: \`{ __typename }\` POSTed to each server ` +
      `(Node ${nodeVersion}), ${values.rounds} alternating rounds of ${DURATION} s at concurrency 16 (CPU from /proc, req/s) and ${DURATION} s at 1 (p50); medians.`,
    '',
    '| server | CPU µs/request | req/s at c=16 | p50 ms at c=1 |',
    '| --- | ---: | ---: | ---: |',
    ...running.map((system, i) => `| ${system.label} | ${median(figures[i]!.cpu).toFixed(0)} | ${median(figures[i]!.rps).toFixed(0)} | ${median(figures[i]!.p50).toFixed(2)} |`),
  ];
  writeSection(values.out, 'pipeline', lines);
  console.log(lines.join('\n'));
} finally {
  for (const system of running) system.process.kill('SIGTERM');
}
