// What the HTTP benchmarks share: wrk runs checked for errors, and a server process's CPU and memory from /proc.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Run {
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  readonly requests: number;
}

/** Where this run's request bodies (and the raw figures of `npm run bench`) are written. */
export const BODY_DIR = path.join(os.tmpdir(), `bench-bodies-${process.pid}`);
mkdirSync(BODY_DIR, { recursive: true });

/** The path and query string of a GET carrying a GraphQL request's fields. */
export function getPath(url: string, body: unknown): string {
  return `${new URL(url).pathname}?${new URLSearchParams(body as Record<string, string>).toString()}`;
}

/**
 * One wrk run (one thread), with `headers` added to each request; throws if any answer was an HTTP
 * or GraphQL error, or if none came. A compressed answer is not decoded: its errors go uncounted.
 */
export function wrk(url: string, body: unknown, connections: number, seconds: number, method: 'GET' | 'POST' = 'POST', headers: Record<string, string> = {}): Run {
  const file = path.join(BODY_DIR, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, method === 'GET' ? getPath(url, body) : JSON.stringify(body));
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const output = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', ...headerArgs, '-s', path.join(import.meta.dirname, 'wrk-graphql.lua'), url], {
    env: { ...process.env, BODY_FILE: file, METHOD: method },
    encoding: 'utf8',
  });
  const errors = /graphql-error responses: (\d+) of (\d+); http errors: connect=(\d+) read=(\d+) status=(\d+) timeout=(\d+)/.exec(output);
  if (!errors) throw new Error(`unexpected wrk output:\n${output}`);
  const failed = [1, 3, 4, 5, 6].reduce((sum, i) => sum + Number(errors[i]), 0);
  if (failed > 0 || Number(errors[2]) === 0) throw new Error(`errors in the run against ${url}:\n${output}`);
  return {
    p50: Number(/p50=([\d.]+)ms/.exec(output)![1]),
    p99: Number(/p99=([\d.]+)ms/.exec(output)![1]),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)![1]),
    requests: Number(/(\d+) requests in/.exec(output)![1]),
  };
}

/**
 * One workload against one server as the side-by-side benchmarks time it: a run at c=16, for the
 * server's CPU per request in µs (process `pid`, from /proc) and its req/s, then one at c=1, for p50.
 */
export function measure(url: string, body: unknown, pid: number, seconds: number, headers: Record<string, string> = {}): { cpu: number; rps: number; p50: number } {
  const before = cpuMs(pid);
  const loaded = wrk(url, body, 16, seconds, 'POST', headers);
  const cpu = ((cpuMs(pid) - before) * 1000) / loaded.requests;
  return { cpu, rps: loaded.rps, p50: wrk(url, body, 1, seconds, 'POST', headers).p50 };
}

/** CPU time a process has used so far, user and system, in milliseconds (from /proc; clock ticks are 10 ms on Linux). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident memory of a process, from /proc. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}
