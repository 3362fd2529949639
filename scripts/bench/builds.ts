// Builds of this server against each other, in one run:
//   npm run bench:builds -- --b <bundle directory>[,<another>…] [--a dist] [--only first,timeline]
//     [--encoding gzip] [--rounds 4] [--duration 4]
// A change meant to make a request cheaper is measured as the ratio of the builds' CPU per request
// within one run, never against an earlier session's figure: this machine's load drifts by more
// than such a change saves. Every build runs at once (as `npm start` runs dist/main.js, each on its
// own port, on the benchmark's Node), idle but for the run being timed; the order alternates from
// round to round; each workload runs at c=16 (CPU per request from /proc, req/s) and at c=1 (p50).
// `--encoding` sends that Accept-Encoding, as browsers and most clients do. A bundle directory is
// what `node scripts/transpile.mjs` writes, copied inside the project (its modules find
// package.json and the schema above them), e.g. an earlier commit's:
//   git stash -u; git checkout <commit>; node scripts/transpile.mjs; mkdir -p .scratch; cp -r dist .scratch/before; git checkout -; git stash pop
// Loopback only; needs the database `npm run gen` fills (BENCH_DATABASE_URL). Prints its table.
import { type ChildProcess, execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eventsPage, NODE_LOOKUP_IDS, nodeLookups, timelinePage } from './pages.js';
import { median } from './results-file.js';
import { BENCH_DATABASE, benchNode, startBenchServer, startFlags } from './start-command.js';
import { measure, wrk } from './wrk.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    a: { type: 'string', default: 'dist' },
    b: { type: 'string' },
    database: { type: 'string', default: BENCH_DATABASE },
    rounds: { type: 'string', default: '4' },
    duration: { type: 'string', default: '4' },
    only: { type: 'string' },
    encoding: { type: 'string' },
  },
});
if (values.b === undefined) throw new Error('--b <bundle directory> is required');
const ROUNDS = Number(values.rounds);
const DURATION = Number(values.duration);
const HEADERS: Record<string, string> = values.encoding === undefined ? {} : { 'accept-encoding': values.encoding };

const WORKLOADS = [
  { key: 'typename', label: '`{ __typename }`', body: { query: '{ __typename }' } },
  { key: 'first', label: 'first page: 20 events by date', body: { query: eventsPage(null) } },
  {
    key: 'nodes',
    label: 'ten `node` lookups of events',
    body: { query: nodeLookups(NODE_LOOKUP_IDS) },
  },
  { key: 'timeline', label: 'timeline page: 50 events in 2024 with participants, citations, totalCount', body: { query: timelinePage('2024-01-01', '2024-12-31') } },
].filter(({ key }) => values.only === undefined || values.only.split(',').includes(key));

interface Build {
  readonly label: string;
  readonly url: string;
  readonly process: ChildProcess;
}

async function start(label: string, directory: string, port: number): Promise<Build> {
  const url = `http://127.0.0.1:${port}`;
  const ready = () => fetch(`${url}/ready`).then((response) => response.ok, () => false);
  const child = await startBenchServer(`${label} (${directory})`, [...startFlags(), path.join(directory, 'main.js')], values.database, port, ready);
  return { label, url: `${url}/graphql`, process: child };
}

// dist/ as the sources are now, as `npm start` would build it (nothing is done when it is current).
execFileSync(process.execPath, [path.join(ROOT, 'scripts/transpile.mjs')], { cwd: ROOT, stdio: 'inherit' });
const directories = [values.a, ...values.b.split(',')];
const labels = directories.map((_, i) => (i === 0 ? 'A' : directories.length === 2 ? 'B' : `B${i}`));
const builds = await Promise.all(directories.map((directory, i) => start(labels[i]!, path.resolve(ROOT, directory), 4801 + i)));
const nodeVersion = execFileSync(benchNode(), ['-v'], { encoding: 'utf8' }).trim();

/** wrk sees a compressed answer's bytes, not its errors: each build answers each workload once here, decoded, without any. */
async function checkAnswers({ label, url }: Build): Promise<void> {
  for (const { key, body } of WORKLOADS) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...HEADERS }, body: JSON.stringify(body) });
    const answer = (await response.json()) as { errors?: unknown };
    if (response.status !== 200 || answer.errors !== undefined) throw new Error(`${label} answered ${key} with ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  }
}

const figures = WORKLOADS.map(() => builds.map(() => ({ cpu: [] as number[], rps: [] as number[], p50: [] as number[] })));
for (const build of builds) await checkAnswers(build);
for (const build of builds) for (const { body } of WORKLOADS) wrk(build.url, body, 16, 2, 'POST', HEADERS);
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? [...builds.keys()] : [...builds.keys()].reverse();
  for (const [w, { body }] of WORKLOADS.entries()) {
    for (const b of order) {
      const { url, process: child } = builds[b]!;
      const { cpu, rps, p50 } = measure(url, body, child.pid!, DURATION, HEADERS);
      figures[w]![b]!.cpu.push(cpu);
      figures[w]![b]!.rps.push(rps);
      figures[w]![b]!.p50.push(p50);
    }
  }
  process.stderr.write(`round ${round + 1} of ${ROUNDS} done\n`);
}

const range = (list: number[]) => `${Math.min(...list).toFixed(2)}–${Math.max(...list).toFixed(2)}`;
console.log(
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:builds\`: ${directories.map((directory, i) => `${labels[i]} = ${directory}`).join(', ')}; ` +
    `Node ${nodeVersion}; Accept-Encoding ${values.encoding ?? 'none'}; ${ROUNDS} rounds in alternating order of ${DURATION} s at c=16 (CPU from /proc, req/s) and ${DURATION} s at c=1 (p50); medians.`,
);
console.log('');
console.log('| workload | build | CPU µs/request | CPU / A, per round (median, range) | req/s at c=16 | p50 ms at c=1 |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const [w, { label }] of WORKLOADS.entries()) {
  for (const [b, build] of builds.entries()) {
    const { cpu, rps, p50 } = figures[w]![b]!;
    const ratios = cpu.map((value, round) => value / figures[w]![0]!.cpu[round]!);
    const ratio = b === 0 ? '' : `${median(ratios).toFixed(2)} (${range(ratios)})`;
    console.log(`| ${b === 0 ? label : ''} | ${build.label} | ${median(cpu).toFixed(0)} | ${ratio} | ${median(rps).toFixed(0)} | ${median(p50).toFixed(2)} |`);
  }
}
// The servers started above keep this process alive; exiting stops them (startBenchServer).
process.exit(0);
