import { GraphQLError } from 'graphql';
import { type GraphQLHTTPExtensions, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { InvalidCursorError } from './db/queries/pagination.js';
import { badUserInput, ErrorCode } from './errors.js';

/**
 * Yoga's masking, except for a forged cursor: its values reach the database, which alone can tell
 * they do not fit the list's sort keys, and that is the client's mistake, not ours.
 */
export function maskError(error: unknown, message: string): Error {
  if (error instanceof GraphQLError && error.originalError instanceof InvalidCursorError) {
    const { message: text, extensions } = badUserInput("'after' or 'before' is not a cursor of this list; pass a cursor this list returned");
    return new GraphQLError(text, { nodes: error.nodes, path: error.path, extensions });
  }
  return yogaMaskError(error, message, false);
}

/** The codes Yoga and graphql-js give, mapped into our closed set; anything else becomes INTERNAL_SERVER_ERROR. */
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * Gives every error a client sees a code from our closed set and nothing internal: Yoga leaves
 * some errors without a code (variable coercion, CSRF, unknown operation name) and attaches the
 * parser's message, which quotes the request body, as `originalError` to invalid JSON. An
 * unexpected error keeps the request id, so its log line can be found.
 */
export function useErrorCodes(requestIdOf: (request: Request) => string): Plugin {
  return {
    onResultProcess({ request, result, setResult }) {
      const results = Array.isArray(result) ? result : [result];
      let changed = false;
      const normalized = results.map((one) => {
        if (!one || typeof one !== 'object' || !('errors' in one) || !Array.isArray(one.errors)) return one;
        changed = true;
        const hasData = 'data' in one && one.data != null;
        return { ...one, errors: one.errors.map((error: GraphQLError) => withCode(error, hasData, () => requestIdOf(request))) };
      });
      // Type escape: the results are the ones Yoga gave, with only their errors replaced.
      if (changed) setResult((Array.isArray(result) ? normalized : normalized[0]) as never);
    },
  };
}

function withCode(error: GraphQLError, hasData: boolean, requestId: () => string): GraphQLError {
  const { originalError: _dropped, code: given, http, ...rest } = (error.extensions ?? {}) as Record<string, unknown> & { http?: GraphQLHTTPExtensions };
  const code = codeOf(error, typeof given === 'string' ? given : undefined, hasData, http);
  // A request refused before execution is a 400 for clients that accept application/graphql-response+json, as Yoga answers validation errors.
  const status = http ?? (!hasData && error.path === undefined ? { spec: true, status: 400 } : undefined);
  const extensions: Record<string, unknown> = { ...rest, code, ...(status === undefined ? {} : { http: status }) };
  if (code === ErrorCode.INTERNAL_SERVER_ERROR) {
    // Whatever an unexpected error said stays in the log.
    // `unexpected` keeps Yoga's status (500 for a failure before execution); Yoga drops it from the response.
    return new GraphQLError('Unexpected error.', { path: error.path, extensions: { code, requestId: requestId(), unexpected: true, ...(http === undefined ? {} : { http }) } });
  }
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

function codeOf(error: GraphQLError, given: string | undefined, hasData: boolean, http: GraphQLHTTPExtensions | undefined): ErrorCode {
  const status = http?.status;
  if (status === 403 && /CSRF/.test(error.message)) return ErrorCode.CSRF_HEADER_REQUIRED;
  if (status === 405) return ErrorCode.METHOD_NOT_ALLOWED;
  if (status === 413) return ErrorCode.REQUEST_ENTITY_TOO_LARGE;
  if (status === 415) return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
  if (given !== undefined && KNOWN_CODES.has(given)) return given as ErrorCode;
  if (given === undefined && /^Syntax Error/.test(error.message)) return ErrorCode.GRAPHQL_PARSE_FAILED;
  // Errors before execution, with no path: variables that do not coerce.
  if (given === undefined && !hasData && error.path === undefined && /^Variable "/.test(error.message)) return ErrorCode.BAD_USER_INPUT;
  // Yoga's own codes for a request it cannot serve, such as OPERATION_RESOLUTION_FAILURE.
  if (status !== undefined && status >= 400 && status < 500) return ErrorCode.BAD_REQUEST;
  return ErrorCode.INTERNAL_SERVER_ERROR;
}
