// What `npm start` runs, read from package.json, so the benchmarks measure the
// server with the same Node flags (its memory settings among them) as users get.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The Node flags of `npm start`'s command line: everything between `node` and `dist/main.js`. */
export function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const flags = scripts.start.match(/\bnode\s+(.*?)\s*dist\/main\.js\b/)?.[1];
  if (flags === undefined) throw new Error(`npm start does not run node … dist/main.js: ${scripts.start}`);
  return flags.split(/\s+/).filter(Boolean);
}

/** The Node 24 `npm run bench` fetches (node_modules/.cache/bench-tools), when it has; else the Node running this. */
export function benchNode(): string {
  const fetched = path.join(ROOT, 'node_modules/.cache/bench-tools/node_modules/node/bin/node');
  return existsSync(fetched) ? fetched : process.execPath;
}

/** The database `npm run gen` fills for the benchmarks: BENCH_DATABASE_URL, or bench_1m on the local Postgres. */
export const BENCH_DATABASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_1m';

/**
 * The environment this server runs under in the benchmarks: no rate limit (every request comes
 * from one address), the in-process response cache (no REDIS_URL), loopback, quiet logs.
 */
export function benchServerEnv(databaseUrl: string, port: number | string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, ...env } = process.env;
  return {
    ...env,
    ...extra,
    RATE_LIMIT_POINTS: '0',
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
}

// Every server startBenchServer starts is stopped when the benchmark ends, however it ends (one failing to start included).
const started: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of started) child.kill('SIGTERM');
});

/**
 * Runs `node <args>` on the benchmark's Node, in this project, under benchServerEnv, and resolves
 * once `ready()` says it serves; throws if it exits or is not ready within a minute.
 */
export async function startBenchServer(label: string, args: readonly string[], databaseUrl: string, port: number, ready: () => Promise<boolean>): Promise<ChildProcess> {
  const child = spawn(benchNode(), args, { cwd: ROOT, env: benchServerEnv(databaseUrl, port), stdio: ['ignore', 'ignore', 'inherit'] });
  started.push(child);
  for (let waited = 0; !(await ready()); waited += 200) {
    if (child.exitCode !== null || waited > 60_000) throw new Error(`${label} did not become ready within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return child;
}
