// The benchmark at a million events: six workloads over HTTP, measured with
// wrk, against this server, PostGraphile 5 on the same database and the SQL
// floor (scripts/bench/floor.mjs), each on the same Node 24:
//   npm run gen -- --events 1000000 --seed 1      (once, into BENCH_DATABASE_URL)
//   npm run bench -- [--duration 5] [--rounds 3] [--warmup 3] [--cache] [--max-cost N] [--only timeline,chart]
//                    [--variant="--enable-source-maps --heap-growing-percent=50"]
// Systems and workloads alternate, round by round; figures are medians over rounds.
// Every response is checked for GraphQL errors, and a run with any measures
// nothing. Statements per request are counted in a first pass through a TCP
// proxy that counts the Query and Execute messages sent to Postgres; the timed
// pass connects directly. Loopback only. Writes bench/RESULTS.md.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { deepPageStart, eventsPage, NODE_LOOKUP_IDS, nodeLookups, timelinePage } from './pages.js';
import { median, RESULTS_FILE, writeSection } from './results-file.js';
import { BODY_DIR, cpuMs, getPath, peakRssMb, type Run, wrk } from './wrk.js';
import { BENCH_DATABASE, benchServerEnv, startFlags } from './start-command.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HERE = import.meta.dirname;
const { values } = parseArgs({
  options: {
    database: { type: 'string', default: BENCH_DATABASE },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    // Before its first timed run, each system runs each workload this long at c=16, untimed.
    warmup: { type: 'string', default: '3' },
    // Adds a column: the same operations sent as GETs, which the server's response cache serves after one warm-up.
    cache: { type: 'boolean', default: false },
    // The server's MAX_COST for the bench, when a workload costs more than the default allows.
    'max-cost': { type: 'string' },
    only: { type: 'string' },
    // Adds a column: this server under other Node flags than `npm start`'s, alternating with it, to weigh a flag.
    variant: { type: 'string' },
    out: { type: 'string', default: RESULTS_FILE },
  },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const WARMUP = Number(values.warmup);
const DATABASE = values.database;

// ---------------------------------------------------------------- Node 24 and PostGraphile, outside the project
const TOOLS = path.join(ROOT, 'node_modules/.cache/bench-tools');
const TOOL_PACKAGES = ['node@24', 'postgraphile@5.1.5', '@graphile/simplify-inflection@9', 'postgraphile-plugin-connection-filter@4'];
function ensureTools(): string {
  const node = path.join(TOOLS, 'node_modules/node/bin/node');
  if (!existsSync(node) || !existsSync(path.join(TOOLS, 'node_modules/postgraphile'))) {
    mkdirSync(TOOLS, { recursive: true });
    // The `node` package fetches its binary in an install script, which npm 11 runs only when allowed.
    writeFileSync(path.join(TOOLS, 'package.json'), JSON.stringify({ name: 'bench-tools', private: true, type: 'module', allowScripts: { node: true } }));
    log(`installing ${TOOL_PACKAGES.join(', ')} into ${TOOLS}`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...TOOL_PACKAGES], { cwd: TOOLS, stdio: 'inherit' });
  }
  writeFileSync(path.join(TOOLS, 'graphile.config.mjs'), readFileSync(path.join(HERE, 'postgraphile.config.mjs')));
  return node;
}

function log(message: string) {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

// ---------------------------------------------------------------- statement-counting proxy
/** Forwards to Postgres and counts the statements clients send: simple Query ('Q') and extended Execute ('E') messages. */
async function countingProxy(target: URL) {
  const counter = { statements: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    let buffer = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          // Untyped start-up messages: SSLRequest/GSSENCRequest, then StartupMessage (protocol 3.0).
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          if (buffer.readInt32BE(4) === 196608) started = true;
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) break;
        const type = String.fromCharCode(buffer[0]!);
        if (type === 'Q' || type === 'E') counter.statements += 1;
        buffer = buffer.subarray(length + 1);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = new URL(target);
  url.port = String((server.address() as net.AddressInfo).port);
  return { url: url.toString(), counter, close: () => new Promise((resolve) => server.close(resolve)) };
}

// ---------------------------------------------------------------- systems
interface SystemSpec {
  readonly name: string;
  readonly key: 'ours' | 'cache' | 'variant' | 'postgraphile' | 'floor';
  start(databaseUrl: string, port: number): ChildProcess;
}

/** The request bodies a system is sent: every column of this server sends its own. */
const bodyKey = (spec: SystemSpec) => (spec.key === 'cache' || spec.key === 'variant' ? 'ours' : spec.key);

function systems(node: string): SystemSpec[] {
  const quiet = { stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[] };
  // No rate limit (PostGraphile has none either), and MAX_COST raised only when asked.
  const ours = (databaseUrl: string, port: number, flags = startFlags()) =>
    spawn(node, [...flags, 'dist/main.js'], {
      cwd: ROOT,
      env: benchServerEnv(databaseUrl, port, values['max-cost'] ? { MAX_COST: values['max-cost'] } : {}),
      ...quiet,
    });
  const list: SystemSpec[] = [{ name: 'this server', key: 'ours', start: ours }];
  if (values.cache) list.push({ name: 'this server + response cache (GET)', key: 'cache', start: ours });
  if (values.variant) {
    const flags = values.variant.split(/\s+/).filter(Boolean);
    list.push({ name: `this server, \`node ${flags.join(' ')}\``, key: 'variant', start: (databaseUrl, port) => ours(databaseUrl, port, flags) });
  }
  list.push(
    {
      name: 'PostGraphile 5',
      key: 'postgraphile',
      start: (databaseUrl, port) =>
        spawn(node, [path.join(TOOLS, 'node_modules/postgraphile/dist/cli-run.js'), '-C', 'graphile.config.mjs'], {
          cwd: TOOLS,
          env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), GRAPHILE_ENV: 'production', NODE_ENV: 'production' },
          ...quiet,
        }),
    },
    {
      name: 'SQL floor',
      key: 'floor',
      start: (databaseUrl, port) =>
        spawn(node, [path.join(HERE, 'floor.mjs')], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) }, ...quiet }),
    },
  );
  return list;
}

interface Running {
  readonly spec: SystemSpec;
  readonly url: string;
  readonly process: ChildProcess;
  readonly output: string[];
}

async function startAll(specs: SystemSpec[], databaseUrl: string, firstPort: number): Promise<Running[]> {
  const running: Running[] = [];
  for (const [index, spec] of specs.entries()) {
    const port = firstPort + index;
    const child = spec.start(databaseUrl, port);
    const output: string[] = [];
    child.stdout!.on('data', (d) => output.push(String(d)));
    child.stderr!.on('data', (d) => output.push(String(d)));
    // A server that stops mid-run shows as socket errors in wrk; say how it stopped, and what it said last.
    child.once('exit', (code, signal) => {
      if (!stopping.has(child)) log(`${spec.name} (pid ${child.pid}) exited: code ${code}, signal ${signal}; last output: ${output.join('').slice(-2000)}`);
    });
    const url = `http://127.0.0.1:${port}/graphql`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${spec.name} exited: ${output.join('')}`);
      if (Date.now() > deadline) throw new Error(`${spec.name} did not start: ${output.join('')}`);
      const open = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
        socket.on('error', () => resolve(false));
      });
      if (open) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    running.push({ spec, url, process: child, output });
  }
  return running;
}

const stopping = new WeakSet<ChildProcess>();
async function stopAll(running: Running[]) {
  for (const system of running) {
    stopping.add(system.process);
    system.process.kill('SIGTERM');
    await new Promise((resolve) => (system.process.exitCode !== null ? resolve(null) : system.process.once('exit', resolve)));
  }
}

// ---------------------------------------------------------------- workloads
interface Workload {
  readonly name: string;
  readonly label: string;
  /** Request bodies per system; a system without one is not measured on it. */
  readonly bodies: Partial<Record<SystemSpec['key'], unknown>>;
}

async function workloads(database: pg.Client): Promise<Workload[] & { pglCursor: (url: string) => Promise<string> }> {
  const pgid = (type: string, id: number) => Buffer.from(JSON.stringify([type, id])).toString('base64');
  const one = async (text: string) => (await database.query(text)).rows[0];
  // A person's full name with one letter changed: a misspelt name as a user types it.
  const person = await one(`select name from actor where id = (select min(id) from actor where id >= 12345 and kind = 'PERSON' and name ~ '^[A-Za-z]+ [A-Za-z]+$')`);
  const misspelt = String(person.name).replace(/([aeiou])([^aeiou]*)$/, (_, vowel: string, rest: string) => `${vowel === 'a' ? 'o' : 'a'}${rest}`);
  const deep = await deepPageStart(database);
  const ids = NODE_LOOKUP_IDS;
  const [from, to] = ['2024-01-01', '2024-12-31'];
  // PostGraphile 5's own cursor for the same row, in the same order (its format: base64 of [digest, ...values]).
  const pglCursor = async (url: string) => {
    const body = await postJson(url, {
      query: `{ events(first: 1, offset: 499999, orderBy: [DATE_EARLIEST_ASC, DATE_LATEST_ASC, PRIMARY_KEY_ASC]) { edges { cursor } } }`,
    });
    return body.data.events.edges[0].cursor as string;
  };
  const PGL_ORDER = 'orderBy: [DATE_EARLIEST_ASC, DATE_LATEST_ASC, PRIMARY_KEY_ASC]';
  const PGL_RANGE = `dateLatest: { greaterThanOrEqualTo: "${from}" }, dateEarliest: { lessThanOrEqualTo: "${to}", greaterThanOrEqualTo: "2022-12-31" }`;
  const pglPageOf = (after: string | null) =>
    `{ events(first: 20, ${PGL_ORDER}${after ? `, after: "${after}"` : ''}) { edges { cursor node { id title dateEarliest dateLatest datePrecision } } pageInfo { hasNextPage } } }`;
  const list: Workload[] = [
    {
      name: 'timeline',
      label: `timeline page: 50 events in ${from.slice(0, 4)} with participants → actor → country, citations → source, totalCount`,
      bodies: {
        ours: { query: timelinePage(from, to) },
        postgraphile: {
          query: `{ events(first: 50, ${PGL_ORDER}, filter: { ${PGL_RANGE} }) { totalCount nodes { id title dateEarliest dateLatest datePrecision
            participants(orderBy: POSITION_ASC) { nodes { role actor { id name country { id name } } } }
            citationsBySubjectEventId(orderBy: PRIMARY_KEY_ASC) { nodes { quote source { id title } } } } } }`,
        },
        floor: { op: 'timeline', args: { from, to, first: 50 } },
      },
    },
    {
      name: 'escalation',
      label: 'escalation: the first 50 measures by date, with initiator, target, event and what they answer',
      bodies: {
        ours: { query: `{ measures(first: 50) { nodes { id kind initiator { id name } target { id name } event { id title date { precision earliest latest } } inResponseTo { id title } } } }` },
        // PostGraphile orders no table by a related one's column: the measures' events, in date order, hold the same rows.
        postgraphile: {
          query: `{ events(first: 50, ${PGL_ORDER}, filter: { measureExists: true }) { nodes { id title dateEarliest dateLatest datePrecision
            measure { id kind initiator { id name } target { id name } measureResponses { nodes { event { id title } } } } } } }`,
        },
        floor: { op: 'escalation', args: { first: 50 } },
      },
    },
    {
      name: 'search',
      label: `search for a misspelt name ("${misspelt}" for ${person.name}), 20 hits and totalCount`,
      bodies: {
        ours: { query: `{ search(query: ${JSON.stringify(misspelt)}, first: 20) { totalCount nodes { __typename ... on Actor { id name } } } }` },
        floor: { op: 'search', args: { query: misspelt, first: 20 } },
      },
    },
    {
      name: 'chart',
      label: 'chart: event counts by month over five years (2020–2024)',
      bodies: {
        ours: { query: `{ eventCounts(by: MONTH, filter: { from: "2020-01-01", to: "2024-12-31" }) { key count } }` },
        floor: { op: 'chart', args: { from: '2020-01-01', to: '2024-12-31' } },
      },
    },
    {
      name: 'nodes',
      label: 'ten `node` lookups of events in one request',
      bodies: {
        ours: { query: nodeLookups(ids) },
        postgraphile: { query: `{ ${ids.map((id, i) => `n${i}: node(id: "${pgid('Event', id)}") { id ... on Event { title dateEarliest dateLatest datePrecision } }`).join(' ')} }` },
        floor: { op: 'nodes', args: { ids } },
      },
    },
    {
      name: 'first-page',
      label: 'first page: 20 events by date',
      bodies: { ours: { query: eventsPage(null) }, postgraphile: { query: pglPageOf(null) }, floor: { op: 'page', args: { after: null, first: 20 } } },
    },
    {
      name: 'deep-page',
      label: 'deep page: 20 events after the 500,000th',
      bodies: {
        ours: { query: eventsPage(deep.cursor) },
        postgraphile: { query: pglPageOf('%PGL_CURSOR%') },
        floor: { op: 'page', args: { after: [deep.earliest, deep.latest, deep.id], first: 20 } },
      },
    },
  ];
  return Object.assign(list, { pglCursor });
}

async function postJson(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

/** One request as the system is measured: a GET with the CSRF header for the cached column, a POST otherwise. */
async function ask(system: Running, body: unknown): Promise<any> {
  if (system.spec.key !== 'cache') return postJson(system.url, body);
  const response = await fetch(new URL(getPath(system.url, body), system.url), { headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' } });
  return response.json();
}

// ---------------------------------------------------------------- main
const node = ensureTools();
const START_LOAD = os.loadavg();
// The compiled server, as the Dockerfile runs it: tsx's loader alone added 60 MB of RSS. Then the
// bundle `npm start` runs (its prestart step), which the file-by-file tsc build replaces.
log('building dist/ (npm run build, then the bundle)');
execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
execFileSync(node, [path.join(ROOT, 'scripts/transpile.mjs')], { cwd: ROOT, stdio: 'inherit' });
const nodeVersion = execFileSync(node, ['-v'], { encoding: 'utf8' }).trim();
const admin = new pg.Client({ connectionString: DATABASE });
await admin.connect();
const digest = (await admin.query(`select digest from seed_state`).catch(() => ({ rows: [] }))).rows[0]?.digest as string | undefined;
if (!digest?.startsWith('generated:')) {
  console.error(`${DATABASE} holds no generated knowledge base; run: DATABASE_URL=${DATABASE} npm run gen -- --events 1000000 --seed 1`);
  process.exit(1);
}
const counts = (await admin.query(`select (select count(*) from event) as events, (select count(*) from actor) as actors, (select count(*) from measure) as measures,
  (select count(*) from participant) as participants, (select count(*) from citation) as citations, (select count(*) from claim) as claims, version() as postgres`)).rows[0];
let list = await workloads(admin);
if (values.only) list = Object.assign(list.filter((w) => values.only!.split(',').includes(w.name)), { pglCursor: list.pglCursor });
const specs = systems(node);

// Pass 1: through the counting proxy, check every answer and count statements per request.
log(`pass 1: statements per request, through a counting proxy (${specs.map((s) => s.name).join(', ')})`);
const proxy = await countingProxy(new URL(DATABASE));
let running = await startAll(specs, proxy.url, 4700);
const pglUrl = running.find((r) => r.spec.key === 'postgraphile')!.url;
const pglCursor = await list.pglCursor(pglUrl);
for (const workload of list) {
  if (workload.bodies.postgraphile) workload.bodies.postgraphile = JSON.parse(JSON.stringify(workload.bodies.postgraphile).replace('%PGL_CURSOR%', pglCursor));
}
const statements = new Map<string, number>();
const sizes = new Map<string, number>();
const costs = new Map<string, number>();
for (const workload of list) {
  for (const system of running) {
    const body = workload.bodies[bodyKey(system.spec)];
    if (!body) continue;
    const answer = await ask(system, body); // warm-up (fills the response cache), not counted
    if (answer.errors || !answer.data) throw new Error(`${system.spec.name} on ${workload.name}: ${JSON.stringify(answer.errors ?? answer)}`);
    sizes.set(`${workload.name}/${system.spec.key}`, JSON.stringify(answer).length);
    if (system.spec.key === 'ours') costs.set(workload.name, answer.extensions?.cost?.requested);
    const requests = 3;
    const before = proxy.counter.statements;
    for (let i = 0; i < requests; i++) {
      const repeat = await ask(system, body);
      if (repeat.errors) throw new Error(`${system.spec.name} on ${workload.name}: ${JSON.stringify(repeat.errors)}`);
    }
    statements.set(`${workload.name}/${system.spec.key}`, (proxy.counter.statements - before) / requests);
  }
  log(`  ${workload.name}: ${running.map((s) => `${s.spec.name} ${statements.get(`${workload.name}/${s.spec.key}`) ?? '—'}`).join(', ')}`);
}
await stopAll(running);
await proxy.close();

// Pass 2: timed, connected directly; systems alternate within each round.
log(`pass 2: ${ROUNDS} rounds × ${list.length} workloads, ${DURATION} s per run at c=1 and at c=16`);
running = await startAll(specs, DATABASE, 4720);
const results = new Map<string, { c1: Run[]; c16: Run[]; cpu: number[] }>();
for (let round = 0; round < ROUNDS; round++) {
  // Workloads alternate too: run in a fixed order, a machine growing busier during a round counts
  // against the later ones (the deep page, after the first, lost 10-18% in three rounds of five).
  const reversed = round % 2 === 1;
  for (const workload of reversed ? [...list].reverse() : list) {
    const order = reversed ? [...running].reverse() : running;
    for (const system of order) {
      const body = workload.bodies[bodyKey(system.spec)];
      if (!body) continue;
      const method = system.spec.key === 'cache' ? 'GET' : 'POST';
      // Steady state is what a running server serves at, and every system starts cold: V8 optimizes
      // this server's hot paths over its first 10–40 s at c=16 (bench/RESULTS.md, thirteenth
      // session). Three seconds per workload and system shortens that, and costs a minute a run.
      if (round === 0) wrk(system.url, body, 16, WARMUP, method);
      const key = `${workload.name}/${system.spec.key}`;
      const entry = results.get(key) ?? { c1: [], c16: [], cpu: [] };
      entry.c1.push(wrk(system.url, body, 1, DURATION, method));
      const cpuBefore = cpuMs(system.process.pid!);
      const loaded = wrk(system.url, body, 16, DURATION, method);
      entry.c16.push(loaded);
      entry.cpu.push((cpuMs(system.process.pid!) - cpuBefore) / loaded.requests);
      results.set(key, entry);
    }
    log(`  round ${round + 1}, ${workload.name}: ${running.map((s) => {
      const runs = results.get(`${workload.name}/${s.spec.key}`);
      return runs ? `${s.spec.name} p50 ${runs.c1.at(-1)!.p50.toFixed(1)} ms, ${runs.c16.at(-1)!.rps.toFixed(0)} req/s` : null;
    }).filter(Boolean).join('; ')}`);
  }
}
const rss = new Map(running.map((system) => [system.spec.key, peakRssMb(system.process.pid!)]));
await stopAll(running);
const load = os.loadavg();
writeFileSync(path.join(BODY_DIR, 'raw.json'), JSON.stringify({ statements: [...statements], costs: [...costs], results: [...results], rss: [...rss], load }));
log(`raw figures in ${path.join(BODY_DIR, 'raw.json')}`);
await admin.end();

// ---------------------------------------------------------------- results
const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));
const summary = (key: string) => {
  const runs = results.get(key);
  if (!runs) return undefined;
  return { p50: median(runs.c1.map((r) => r.p50)), p99: median(runs.c1.map((r) => r.p99)), rps: median(runs.c16.map((r) => r.rps)), cpu: median(runs.cpu) };
};
const lines: string[] = [];
const startLoad = START_LOAD.map((n) => n.toFixed(1)).join(', ');
lines.push(
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` on ${counts.events} events (${counts.actors} actors, ${counts.participants} participants, ` +
    `${counts.measures} measures, ${counts.claims} claims, ${counts.citations} citations; \`${digest}\`).`,
  '',
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB, shared with other work (noisy: compare ratios). ` +
    `${String(counts.postgres).split(' on ')[0]}; Node ${nodeVersion} for every system; wrk ${spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0]!.split(' ')[1]} with one thread. ` +
    `${ROUNDS} alternating rounds, ${DURATION} s per run, after ${WARMUP} s of each workload at concurrency 16 before the first; medians. p50 and p99 at concurrency 1, req/s at concurrency 16. ` +
    `Statements per request counted through a proxy in a separate pass. CPU per request: the server process's user and system time (\`/proc/<pid>/stat\`) over the c=16 run, divided by its requests. RSS: peak resident memory of the server process over the run. ` +
    `Load average (1, 5, 15 min) at the start ${startLoad}, at the end ${load.map((n) => n.toFixed(1)).join(', ')}. ` +
    `This server runs as \`npm start\` does (\`node ${startFlags().join(' ')} dist/main.js\`), with RATE_LIMIT_POINTS=0 (no rate limit)${values['max-cost'] ? ` and MAX_COST=${values['max-cost']}` : ' and its default MAX_COST'}` +
    `${values.variant ? `; its \`node ${values.variant}\` column runs the same server under those flags instead` : ''}` +
    `${values.cache ? '; its response-cache column sends the same operations as GETs (query in the URL, header `x-graphql-yoga-csrf: 1`), warmed once, so every timed request is a cache hit' : ''}.`,
  '',
  '| workload | system | p50 ms | p99 ms | req/s | CPU ms/request | statements | p50 / PostGraphile | req/s / PostGraphile | p50 / floor | req/s / floor |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
for (const workload of list) {
  const pgl = summary(`${workload.name}/postgraphile`);
  const floor = summary(`${workload.name}/floor`);
  for (const system of specs) {
    const key = `${workload.name}/${system.key}`;
    const own = summary(key);
    if (!own) continue;
    lines.push(
      `| ${system.key === specs[0]!.key ? workload.label : ''} | ${system.name} | ${fmt(own.p50, 2)} | ${fmt(own.p99, 2)} | ${fmt(own.rps, 0)} | ${fmt(own.cpu, 3)} | ${fmt(statements.get(key), 1)} | ` +
        `${pgl && system.key !== 'postgraphile' ? fmt(own.p50 / pgl.p50, 2) : ''} | ${pgl && system.key !== 'postgraphile' ? fmt(own.rps / pgl.rps, 2) : ''} | ` +
        `${floor && system.key !== 'floor' ? fmt(own.p50 / floor.p50, 2) : ''} | ${floor && system.key !== 'floor' ? fmt(own.rps / floor.rps, 2) : ''} |`,
    );
  }
}
lines.push('', `Peak RSS: ${specs.map((s) => `${s.name} ${fmt(rss.get(s.key), 0)} MB`).join(', ')}.`);
lines.push('', `Cost of each operation on this server (\`extensions.cost.requested\`): ${list.map((w) => `${w.name} ${costs.get(w.name) ?? '—'}`).join(', ')}.`);
if (!values.cache) lines.push('', 'The response cache was not measured in this run (pass `--cache`).');

writeSection(values.out, 'http', lines);
console.log(lines.join('\n'));
log(`wrote ${path.relative(ROOT, values.out)}`);
