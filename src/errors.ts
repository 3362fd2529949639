import { GraphQLError } from 'graphql';

/**
 * The closed set of error codes clients may see in `extensions.code`. Anything
 * else that goes wrong is masked by Yoga as `INTERNAL_SERVER_ERROR`, logged
 * with the request id, and never shows a stack trace.
 */
export const ErrorCode = {
  /** An argument is malformed or out of range: a bad cursor, date, ID or page size. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The database cannot be reached, or is still being prepared, or every connection is busy: retry shortly. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The request ran past its deadline, or one of its statements past the statement or lock timeout. */
  TIMEOUT: 'TIMEOUT',
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
