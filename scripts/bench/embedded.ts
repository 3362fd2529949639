// Embedded mode (PGlite, no DATABASE_URL): how long the compiled server takes
// from its process starting to its first answer, on an empty data directory
// (cold: migrations and seeds) and again on the same directory (warm); how
// long building the schema and loading the seeds take on their own.
//   npm run bench:embedded -- [--runs 3]
// Writes its section of bench/RESULTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, RESULTS_FILE, writeSection } from './results-file.js';
import { benchNode, startFlags } from './start-command.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, out: { type: 'string', default: RESULTS_FILE } } });
const RUNS = Number(values.runs);
// The same Node as the HTTP benchmark when it has been fetched, else this one.
const node = benchNode();
const nodeVersion = execFileSync(node, ['-v'], { encoding: 'utf8' }).trim();
// The same build as `npm start`'s: the bundled dist/main.js.
execFileSync(node, [path.join(ROOT, 'scripts/transpile.mjs')], { cwd: ROOT, stdio: 'inherit' });

const QUERY = JSON.stringify({ query: '{ events(first: 1) { totalCount nodes { title } } }' });

/** Milliseconds from spawning the server in `cwd` to its first answer without errors. */
async function firstAnswer(cwd: string, port: number): Promise<number> {
  const started = performance.now();
  // What `npm start` runs once its build is up to date (npm itself adds about 150 ms).
  const child = spawn(node, [...startFlags(), path.join(ROOT, 'dist/main.js')], {
    cwd,
    env: { ...process.env, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY })
        .then((response) => response.text())
        .catch(() => null);
      if (answer !== null) {
        if (!answer.includes('"data"') || answer.includes('"errors"')) throw new Error(`bad first answer: ${answer}`);
        return performance.now() - started;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}

/** Runs a snippet in a fresh process (nothing cached) and returns the number it prints. */
function timed(snippet: string): number {
  return Number(execFileSync(node, ['--input-type=module', '-e', snippet], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1));
}

const cold: number[] = [];
const warm: number[] = [];
const schemaBuild: number[] = [];
const seedLoad: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-embedded-'));
  try {
    cold.push(await firstAnswer(dir, 4790));
    warm.push(await firstAnswer(dir, 4791));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  schemaBuild.push(timed(`const t = performance.now(); await import('./dist/schema/index.js'); console.log(performance.now() - t);`));
  seedLoad.push(
    timed(`
      import { openDatabase } from './dist/db/connect.js';
      import { migrateToLatest } from './dist/db/migrate.js';
      import { loadSeeds } from './dist/db/seed.js';
      import { readSeeds } from './dist/db/seed-files.js';
      const database = await openDatabase({ engine: 'pglite', dataDir: null });
      await migrateToLatest(database.db);
      const seeds = readSeeds();
      const t = performance.now();
      await loadSeeds(database.db, seeds, 'if-empty');
      console.log(performance.now() - t);
      await database.close();`),
  );
  process.stderr.write(`run ${run + 1}: cold ${cold.at(-1)!.toFixed(0)} ms, warm ${warm.at(-1)!.toFixed(0)} ms, schema ${schemaBuild.at(-1)!.toFixed(0)} ms, seeds ${seedLoad.at(-1)!.toFixed(0)} ms\n`);
}

const lines = [
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:embedded\`: the bundled server (\`node ${startFlags().join(' ')} dist/main.js\`, what \`npm start\` runs) on Node ${nodeVersion}, PGlite in a fresh data directory; medians of ${RUNS} runs.`,
  '',
  '| embedded mode | ms |',
  '| --- | ---: |',
  `| start-up to first answer, cold (empty data directory: migrations and seeds) | ${median(cold).toFixed(0)} |`,
  `| start-up to first answer, warm (same directory, already seeded) | ${median(warm).toFixed(0)} |`,
  `| seed load into a migrated in-memory PGlite (\`loadSeeds\`) | ${median(seedLoad).toFixed(0)} |`,
  `| schema build (importing \`dist/schema/index.js\`, fresh process) | ${median(schemaBuild).toFixed(0)} |`,
];
writeSection(values.out, 'embedded', lines);
console.log(lines.join('\n'));
