import { ErrorCode } from '../../src/errors.js';
import type { FuzzRequest } from './documents.js';

const CODES = new Set<string>(Object.values(ErrorCode));

/** What must never reach a client: SQL and database messages, stack frames, file paths, internal names. */
const LEAKS = /relation "|column "|syntax error at or near|violates|duplicate key|pg_|kysely|pglite|postgres|node_modules|\bat \S+ \(|\.[cm]?[jt]s:\d|originalError|stack/i;
const SYSTEM_ERRORS = /\bE(CONN[A-Z]+|TIMEDOUT|PIPE|ADDR[A-Z]+)\b/;

export interface FuzzFigures {
  documents: number;
  /** Requests answered with data and no error. */
  clean: number;
  /** Requests answered with data and some errors (a field's resolver refused its input). */
  partial: number;
  /** Requests refused without data. */
  refused: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  serverErrors: number;
  /** Errors masked as INTERNAL_SERVER_ERROR: each is a bug the fuzzer found, even if nothing leaked. */
  internal: number;
  unmasked: number;
  withoutCode: number;
  healthFailures: number;
  slowestMs: number;
  totalMs: number;
  /** The first few problems, with the request that caused each. */
  problems: { request: FuzzRequest; problem: string }[];
}

/** Sends every request, checks every answer, and asks for `{ __typename }` after every batch. */
export async function runFuzz(
  requests: readonly FuzzRequest[],
  send: (body: string) => Promise<{ status: number; text: string }>,
  batchSize = 100,
): Promise<FuzzFigures> {
  const figures: FuzzFigures = {
    documents: requests.length,
    clean: 0,
    partial: 0,
    refused: 0,
    statuses: {},
    codes: {},
    serverErrors: 0,
    internal: 0,
    unmasked: 0,
    withoutCode: 0,
    healthFailures: 0,
    slowestMs: 0,
    totalMs: 0,
    problems: [],
  };
  const problem = (request: FuzzRequest, text: string) => {
    if (figures.problems.length < 20) figures.problems.push({ request, problem: text });
  };
  const started = performance.now();
  for (let index = 0; index < requests.length; index++) {
    const request = requests[index]!;
    const sentAt = performance.now();
    const { status, text } = await send(JSON.stringify(request));
    figures.slowestMs = Math.max(figures.slowestMs, performance.now() - sentAt);
    figures.statuses[status] = (figures.statuses[status] ?? 0) + 1;
    if (status >= 500) {
      figures.serverErrors++;
      problem(request, `HTTP ${status}: ${text.slice(0, 300)}`);
    }
    let body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      figures.withoutCode++;
      problem(request, `not JSON: ${text.slice(0, 300)}`);
      continue;
    }
    const errors = body.errors ?? [];
    if (errors.length === 0) figures.clean++;
    else if (body.data != null) figures.partial++;
    else figures.refused++;
    for (const error of errors) {
      const code = error.extensions?.code;
      figures.codes[String(code)] = (figures.codes[String(code)] ?? 0) + 1;
      if (typeof code !== 'string' || !CODES.has(code)) {
        figures.withoutCode++;
        problem(request, `error without a code of the closed set: ${JSON.stringify(error).slice(0, 300)}`);
      }
      const internal = code === ErrorCode.INTERNAL_SERVER_ERROR;
      if ((internal && error.message !== 'Unexpected error.') || LEAKS.test(JSON.stringify(error)) || SYSTEM_ERRORS.test(JSON.stringify(error))) {
        figures.unmasked++;
        problem(request, `unmasked: ${JSON.stringify(error).slice(0, 300)}`);
      }
      if (internal) {
        figures.internal++;
        problem(request, `unexpected error: ${JSON.stringify(error).slice(0, 300)}`);
      }
    }
    if ((index + 1) % batchSize === 0 || index === requests.length - 1) {
      const health = await send(JSON.stringify({ query: '{ __typename }' }));
      if (health.status !== 200 || !health.text.includes('"__typename":"Query"')) {
        figures.healthFailures++;
        problem({ query: '{ __typename }' }, `health after document ${index + 1}: HTTP ${health.status} ${health.text.slice(0, 200)}`);
      }
    }
  }
  figures.totalMs = performance.now() - started;
  return figures;
}
