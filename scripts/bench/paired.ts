// The deep page against the first on this server, request by request:
//   npm run bench:paired -- [--blocks 400] [--block-size 50]
// `npm run bench` gives each workload five-second runs in turn, and on this
// shared machine the load drifts from run to run by more than the two pages
// can differ: the SQL floor's deep page, the same work as its first, came out
// at 0.88–1.41 of its first page's req/s run by run. Here one server, started
// as `npm start` runs it, gets the two pages in alternating blocks of a few
// dozen requests, ordered first-deep-deep-first, so drift falls on both alike.
// Latency: each request's at concurrency 1, over one keep-alive connection.
// CPU: the server's main thread, where its JavaScript runs, read per block
// from /proc/<pid>/schedstat in nanoseconds (/proc/<pid>/stat counts 10 ms
// ticks). Loopback only; about a minute. Needs the database of `npm run gen`
// (BENCH_DATABASE_URL). Writes its section of bench/RESULTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { deepPageStart, eventsPage } from './pages.js';
import { median, percentile, RESULTS_FILE, writeSection } from './results-file.js';
import { BENCH_DATABASE, benchNode, benchServerEnv, startFlags } from './start-command.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    database: { type: 'string', default: BENCH_DATABASE },
    blocks: { type: 'string', default: '400' },
    'block-size': { type: 'string', default: '50' },
    port: { type: 'string', default: '4790' },
    out: { type: 'string', default: RESULTS_FILE },
  },
});
const BLOCKS = Number(values.blocks);
const BLOCK_SIZE = Number(values['block-size']);
const PAGES = ['first', 'deep'] as const;
type PageName = (typeof PAGES)[number];

const admin = new pg.Client({ connectionString: values.database });
await admin.connect();
const events = Number((await admin.query('select count(*) as n from event')).rows[0].n);
if (events < 500_001) throw new Error(`${values.database} holds ${events} events; the deep page starts after the 500,000th (npm run gen -- --events 1000000)`);
const deep = await deepPageStart(admin);
await admin.end();
const bodies: Record<PageName, string> = { first: JSON.stringify({ query: eventsPage(null) }), deep: JSON.stringify({ query: eventsPage(deep.cursor) }) };

const node = benchNode();
const nodeVersion = execFileSync(node, ['-v'], { encoding: 'utf8' }).trim();
execFileSync(node, [path.join(ROOT, 'scripts/transpile.mjs')], { cwd: ROOT, stdio: 'inherit' });
const server = spawn(node, [...startFlags(), 'dist/main.js'], { cwd: ROOT, env: benchServerEnv(values.database, values.port), stdio: ['ignore', 'ignore', 'inherit'] });

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Milliseconds for one page, from sending the request to the end of its answer; throws on an error in it. */
function ask(page: PageName): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: Number(values.port), path: '/graphql', method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`${page} page: ${response.statusCode} ${text.slice(0, 500)}`));
          else resolve(performance.now() - started);
        });
      },
    );
    request.on('error', reject);
    request.end(bodies[page]);
  });
}

/** Nanoseconds the server's main thread has run. */
const mainThreadNs = () => Number(readFileSync(`/proc/${server.pid}/schedstat`, 'utf8').split(' ')[0]);

try {
  for (let waited = 0; ; waited += 250) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    if (waited > 60_000) throw new Error('the server did not answer within a minute');
    if (await ask('first').then(() => true, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // Warm-up, not counted: the JIT, the parser cache, the compiled documents, prepared statements.
  for (let i = 0; i < 2000; i++) await ask(PAGES[i % 2]!);

  const latencies: Record<PageName, number[]> = { first: [], deep: [] };
  const blockCpu: Record<PageName, number[]> = { first: [], deep: [] };
  const blockMedian: Record<PageName, number[]> = { first: [], deep: [] };
  for (let block = 0; block < BLOCKS; block++) {
    const page: PageName = block % 4 === 0 || block % 4 === 3 ? 'first' : 'deep';
    const times: number[] = [];
    const cpuBefore = mainThreadNs();
    for (let i = 0; i < BLOCK_SIZE; i++) times.push(await ask(page));
    blockCpu[page].push((mainThreadNs() - cpuBefore) / BLOCK_SIZE / 1000);
    blockMedian[page].push(median(times));
    latencies[page].push(...times);
  }

  const mean = (list: number[]) => list.reduce((sum, x) => sum + x, 0) / list.length;
  // Blocks 2k and 2k+1 are one of each page, next to each other in time.
  const pairRatios = (of: Record<PageName, number[]>) => of.deep.map((deepValue, k) => deepValue / of.first[k]!);
  const spread = (ratios: number[]) => `${median(ratios).toFixed(2)} (quartiles ${percentile(ratios, 25).toFixed(2)}–${percentile(ratios, 75).toFixed(2)})`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:paired\` on ${events} events: this server as \`npm start\` runs it ` +
      `(\`node ${startFlags().join(' ')} dist/main.js\`, Node ${nodeVersion}), no rate limit; ${BLOCKS} blocks of ${BLOCK_SIZE} requests, ` +
      'first-deep-deep-first, at concurrency 1 over one keep-alive connection, after 2,000 requests of warm-up.',
    '',
    '| page | p50 ms | p90 ms | p99 ms | main-thread CPU µs/request |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...PAGES.map(
      (page) =>
        `| ${page === 'first' ? 'first page: 20 events by date' : 'deep page: 20 events after the 500,000th'} | ${percentile(latencies[page], 50).toFixed(3)} | ` +
        `${percentile(latencies[page], 90).toFixed(3)} | ${percentile(latencies[page], 99).toFixed(3)} | ${mean(blockCpu[page]).toFixed(0)} |`,
    ),
    '',
    `Deep page / first page, block by adjacent block (median of ${BLOCKS / 2} pairs, quartiles): latency (block medians) ${spread(pairRatios(blockMedian))}; ` +
      `main-thread CPU ${spread(pairRatios(blockCpu))}.`,
  ];
  writeSection(values.out, 'paired', lines);
  console.log(lines.join('\n'));
} finally {
  agent.destroy();
  server.kill('SIGTERM');
}
