/**
 * What a database error means for the request that met it: the database is
 * out of reach (retry later), a timeout cut a statement, or neither (a bug,
 * left to masking). pg gives no code to some of its connection errors, so
 * those are recognised by their fixed messages.
 */
export type DatabaseFault = 'unavailable' | 'timeout';

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const PG_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
];

/** SQLSTATEs: class 08 (connection exception), shutdown and start-up, too many connections, bad credentials or database. */
function unavailableState(code: string): boolean {
  return code.startsWith('08') || code.startsWith('28') || ['57P01', '57P02', '57P03', '53300', '3D000'].includes(code);
}

/** `query_canceled` (statement_timeout, or our cancel at the request deadline), `lock_not_available` (lock_timeout), idle-in-transaction timeout. */
const TIMEOUT_STATES = new Set(['57014', '55P03', '25P03']);

export function classifyDatabaseError(error: unknown): DatabaseFault | undefined {
  for (const cause of causes(error)) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TIMEOUT_STATES.has(code)) return 'timeout';
      if (UNAVAILABLE_NODE_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableState(code))) return 'unavailable';
    }
    if (cause instanceof Error && PG_MESSAGES.some((pattern) => pattern.test(cause.message))) return 'unavailable';
  }
  return undefined;
}

/**
 * Why the database is out of reach, in words that name no host, port, user or
 * database: `/ready` is often public, and the log has the driver's message.
 */
export function describeUnavailable(error: unknown): string {
  for (const cause of causes(error)) {
    const code = (cause as { code?: unknown }).code;
    const message = cause instanceof Error ? cause.message : '';
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not resolved';
    if (code === 'ETIMEDOUT' || /timeout/.test(message)) return 'connection timed out';
    if (code === '57P03') return 'the database is starting up';
    if (code === '57P01' || code === '57P02') return 'the database is shutting down';
    if (code === '53300') return 'too many connections';
    if (code === '3D000') return 'the database does not exist';
    if (typeof code === 'string' && code.startsWith('28')) return 'authentication failed';
    if (code === 'ECONNRESET' || code === 'EPIPE' || /^Connection terminated|not queryable/.test(message)) return 'connection lost';
  }
  return 'unexpected error';
}

/** The error, its `cause`s, a GraphQLError's `originalError`s and an AggregateError's members (a dual-stack connect). */
function* causes(error: unknown, depth = 0): Generator<unknown> {
  if (error === null || typeof error !== 'object' || depth > 8) return;
  yield error;
  const { cause, originalError, errors } = error as { cause?: unknown; originalError?: unknown; errors?: unknown };
  yield* causes(cause, depth + 1);
  yield* causes(originalError, depth + 1);
  if (Array.isArray(errors)) for (const member of errors) yield* causes(member, depth + 1);
}
