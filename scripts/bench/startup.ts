// Start-up to the first answer: spawns the server, polls `{ __typename }` on
// loopback every 10 ms, and reports the median of several starts, warm (an
// embedded database already under the data directory) and cold (an empty one:
// create, migrate, seed). Compiled JavaScript (`npm start`) against the same
// code loaded through tsx (what `npm start` ran before). Bounded: a start that
// takes over 60 s is killed and counted as failed.
//   node --import tsx scripts/bench/startup.ts [--runs 5]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFlags } from './start-command.js';
import { cpuMs } from './wrk.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const root = fileURLToPath(new URL('../../', import.meta.url));

execFileSync(process.execPath, [path.join(root, 'scripts/transpile.mjs')]);
const COMMANDS = {
  'compiled (`npm start`)': [...startFlags(), path.join(root, 'dist/main.js')],
  'through tsx': ['--import', path.join(root, 'node_modules/tsx/dist/loader.mjs'), path.join(root, 'src/main.ts')],
} as const;

let nextPort = 4700 + Math.floor(Math.random() * 200);

/** Milliseconds from spawn to the first 200 answer (wall clock and CPU), and to the "serving" log line. */
async function startOnce(args: readonly string[], cwd: string): Promise<{ answer: number; cpu: number; listening: number }> {
  const port = nextPort++;
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, DATABASE_URL: '', PORT: String(port), LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let listening = Number.NaN;
  child.stdout.on('data', (chunk: Buffer) => {
    if (Number.isNaN(listening) && chunk.toString().includes('"msg":"serving')) listening = performance.now() - started;
  });
  try {
    while (performance.now() - started < 60_000) {
      try {
        // A GET needs the CSRF-prevention header (README, "Browsers").
        const response = await fetch(`http://127.0.0.1:${port}/graphql?query=%7B__typename%7D`, { headers: { 'x-graphql-yoga-csrf': '1' } });
        if (response.status === 200) return { answer: performance.now() - started, cpu: cpuMs(child.pid!), listening };
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no answer within 60 s');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: string[] = [];
for (const [name, args] of Object.entries(COMMANDS)) {
  const cold: number[] = [];
  const coldCpu: number[] = [];
  const warm: number[] = [];
  const warmCpu: number[] = [];
  const warmListening: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'kb-startup-'));
    try {
      const first = await startOnce(args, cwd);
      cold.push(first.answer);
      coldCpu.push(first.cpu);
      const again = await startOnce(args, cwd);
      warm.push(again.answer);
      warmCpu.push(again.cpu);
      warmListening.push(again.listening);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }
  const ms = (values: number[]) => Math.round(median(values));
  rows.push(`| ${name} | ${ms(warm)} | ${ms(warmCpu)} | ${ms(warmListening)} | ${ms(cold)} | ${ms(coldCpu)} |`);
}
console.log(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}, median of ${runs}`);
console.log('| start | warm: first answer (ms) | warm: CPU (ms) | warm: listening (ms) | cold: first answer (ms) | cold: CPU (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
