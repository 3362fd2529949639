import { GraphQLError } from 'graphql';

/**
 * The closed set of error codes clients may see in `extensions.code`. Anything
 * else that goes wrong is masked by Yoga as `INTERNAL_SERVER_ERROR`, logged
 * with the request id, and never shows a stack trace.
 */
export const ErrorCode = {
  /** An argument or variable is malformed or out of range: a bad cursor, date, ID or page size, a string too long, a control character. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The database cannot be reached, or is still being prepared, or every connection is busy: retry shortly. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The request ran past its deadline, or one of its statements past the statement or lock timeout. */
  TIMEOUT: 'TIMEOUT',
  /** The document does not parse. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The operation does not fit the schema. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** The request is not GraphQL over HTTP: no query, bad JSON, a batch, a mutation over GET. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** A form-encoded, multipart or plain-text body: we take JSON (or GET) only. HTTP 415. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** A GET or simple POST without a CSRF-prevention header. HTTP 403. */
  CSRF_HEADER_REQUIRED: 'CSRF_HEADER_REQUIRED',
  /** The HTTP method is not GET or POST. HTTP 405. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** The request body is larger than MAX_BODY_BYTES. HTTP 413. */
  REQUEST_ENTITY_TOO_LARGE: 'REQUEST_ENTITY_TOO_LARGE',
  /** The document has more tokens than MAX_TOKENS; refused while parsing. */
  TOKEN_LIMIT_EXCEEDED: 'TOKEN_LIMIT_EXCEEDED',
  /** The operation nests fields deeper than MAX_DEPTH. */
  DEPTH_LIMIT_EXCEEDED: 'DEPTH_LIMIT_EXCEEDED',
  /** The operation has more aliases than MAX_ALIASES. */
  ALIAS_LIMIT_EXCEEDED: 'ALIAS_LIMIT_EXCEEDED',
  /** The operation has more directives than MAX_DIRECTIVES. */
  DIRECTIVE_LIMIT_EXCEEDED: 'DIRECTIVE_LIMIT_EXCEEDED',
  /** The operation's calculated cost is above MAX_COST. */
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  /** The client has spent its budget of cost points for the window. HTTP 429. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Automatic persisted queries: the hash is not known yet; send the query text with it once. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Automatic persisted queries: the hash sent is not the SHA-256 of the query sent with it. */
  PERSISTED_QUERY_MISMATCH: 'PERSISTED_QUERY_MISMATCH',
  /** Allow-list mode: the hash names no persisted operation. */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** Allow-list mode: an operation must be named by its hash. */
  PERSISTED_QUERY_ID_REQUIRED: 'PERSISTED_QUERY_ID_REQUIRED',
  /** Allow-list mode: a document's text was sent, which this mode does not run. */
  CANNOT_SEND_PQ_ID_AND_BODY: 'CANNOT_SEND_PQ_ID_AND_BODY',
  /** Anything unexpected: masked, logged with the request id, which the error carries. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argument === undefined ? {} : { argument }) },
  });
}

/** Answered with HTTP 503 and `Retry-After`, so clients and proxies know to come back. */
export function serviceUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503, headers: { 'retry-after': '1' } } },
  });
}

/** Answered with HTTP 504: the server gave up waiting on its database for this request. */
export function timedOut(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.TIMEOUT, http: { status: 504 } } });
}

/** A refusal by one of the operation limits: names the limit, its bound and what the request asked for. */
export function limitExceeded(code: ErrorCode, limit: string, max: number, actual: number | null, httpStatus?: number): GraphQLError {
  const asked = actual === null ? '' : ` (got ${actual})`;
  return new GraphQLError(`${limit} limit exceeded: at most ${max}${asked}`, {
    extensions: { code, limit: { max, ...(actual === null ? {} : { actual }) }, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}
