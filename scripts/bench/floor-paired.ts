// The cheap requests on this server against the SQL floor, in many short adjacent runs:
//   npm run bench:floor-paired -- [--pairs 15] [--seconds 2]
// `npm run bench` takes each system's p50 and p99 from three five-second runs at c=1, minutes
// apart. A cheap request takes half a millisecond, so its p99 is where this shared machine's
// stalls land, and a stall that falls on one system's run and not the other's moves the ratio of
// the two p99s past any change in the code (ten lookups: 1.46× to 2.06× in three runs of one
// hour). Here the two systems get each workload in alternating runs of a few seconds, ordered
// ours-floor, floor-ours, so drift falls on both alike, and each ratio is taken between adjacent
// runs: the median of many such ratios, with its quartiles, is what the code decides.
// Loopback only; about four minutes. Needs the database of `npm run gen` (BENCH_DATABASE_URL).
// Writes its section of bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { deepPageStart, eventsPage, NODE_LOOKUP_IDS, nodeLookups } from './pages.js';
import { median, percentile, RESULTS_FILE, writeSection } from './results-file.js';
import { BENCH_DATABASE, benchNode, startBenchServer, startFlags } from './start-command.js';
import { type Run, wrk } from './wrk.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    database: { type: 'string', default: BENCH_DATABASE },
    pairs: { type: 'string', default: '15' },
    seconds: { type: 'string', default: '2' },
    out: { type: 'string', default: RESULTS_FILE },
  },
});
const PAIRS = Number(values.pairs);
const SECONDS = Number(values.seconds);

const admin = new pg.Client({ connectionString: values.database });
await admin.connect();
const deep = await deepPageStart(admin);
await admin.end();
const WORKLOADS = [
  { label: 'ten `node` lookups of events in one request', ours: { query: nodeLookups(NODE_LOOKUP_IDS) }, floor: { op: 'nodes', args: { ids: NODE_LOOKUP_IDS } } },
  { label: 'first page: 20 events by date', ours: { query: eventsPage(null) }, floor: { op: 'page', args: { after: null, first: 20 } } },
  {
    label: 'deep page: 20 events after the 500,000th',
    ours: { query: eventsPage(deep.cursor) },
    floor: { op: 'page', args: { after: [deep.earliest, deep.latest, deep.id], first: 20 } },
  },
];

/** Starts a server and waits until it answers `body` without errors: its start-up and the check of its answers in one. */
async function start(label: string, args: string[], port: number, body: unknown): Promise<string> {
  // The floor answers on any path.
  const url = `http://127.0.0.1:${port}/graphql`;
  const answers = () =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (response) => response.ok && !(await response.text()).includes('"errors"'),
      () => false,
    );
  await startBenchServer(label, args, values.database, port, answers);
  return url;
}

execFileSync(process.execPath, [path.join(ROOT, 'scripts/transpile.mjs')], { cwd: ROOT, stdio: 'inherit' });
const ours = await start('this server', [...startFlags(), 'dist/main.js'], 4821, WORKLOADS[0]!.ours);
const floor = await start('the SQL floor', [path.join(import.meta.dirname, 'floor.mjs')], 4822, WORKLOADS[0]!.floor);
const nodeVersion = execFileSync(benchNode(), ['-v'], { encoding: 'utf8' }).trim();

const rows: string[] = [];
for (const workload of WORKLOADS) {
  // Warm-up, not counted: the JIT, prepared statements, both pools' connections.
  for (const [url, body] of [[ours, workload.ours], [floor, workload.floor]] as const) wrk(url, body, 16, 3);
  const runs: { ours: Run; floor: Run }[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    const oursFirst = pair % 2 === 0;
    const first = wrk(oursFirst ? ours : floor, oursFirst ? workload.ours : workload.floor, 1, SECONDS);
    const second = wrk(oursFirst ? floor : ours, oursFirst ? workload.floor : workload.ours, 1, SECONDS);
    runs.push(oursFirst ? { ours: first, floor: second } : { ours: second, floor: first });
  }
  const spread = (ratios: number[]) =>
    `${median(ratios).toFixed(2)} (${percentile(ratios, 25).toFixed(2)}–${percentile(ratios, 75).toFixed(2)}; over 2 in ${ratios.filter((ratio) => ratio > 2).length})`;
  const figure = (system: 'ours' | 'floor', statistic: 'p50' | 'p99') => median(runs.map((run) => run[system][statistic])).toFixed(2);
  rows.push(
    `| ${workload.label} | ${figure('ours', 'p50')} | ${figure('floor', 'p50')} | ${spread(runs.map((run) => run.ours.p50 / run.floor.p50))} | ` +
      `${figure('ours', 'p99')} | ${figure('floor', 'p99')} | ${spread(runs.map((run) => run.ours.p99 / run.floor.p99))} |`,
  );
  process.stderr.write(`${workload.label}: done\n`);
}

writeSection(values.out, 'floor-paired', [
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:floor-paired\`: this server as \`npm start\` runs it ` +
    `(\`node ${startFlags().join(' ')} dist/main.js\`, no rate limit) and the SQL floor, both on Node ${nodeVersion}; per workload ${PAIRS} pairs of ` +
    `adjacent ${SECONDS}-second wrk runs at c=1, in alternating order, after 3 s of each at c=16. Figures are medians over the runs; a ratio is ` +
    'taken within each pair, then its median, quartiles, and how many pairs were over 2.',
  '',
  '| workload | this server p50 ms | floor p50 ms | p50 / floor, per pair | this server p99 ms | floor p99 ms | p99 / floor, per pair |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
]);
process.stderr.write(`wrote ${values.out}\n`);
// The servers started above keep this process alive; exiting stops them (startBenchServer).
process.exit(0);
