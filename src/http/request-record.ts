import { randomUUID } from 'node:crypto';
import { getOperationAST, type OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Where GraphQL is served: Yoga's default endpoint. */
export const GRAPHQL_PATH = '/graphql';

/** Carries a request's id both ways: reused from the caller, so a trace can cross services, and returned. */
export const REQUEST_ID_HEADER = 'x-request-id';

export interface RequestOperation {
  /** The operation's name; for an anonymous one, absent. */
  readonly name?: string;
  /** Known once the operation runs; a cached answer skips that. */
  readonly type?: OperationTypeNode;
}

/** What an accepted operation costs, and the most one may cost; returned in `extensions.cost`. */
export interface OperationCost {
  readonly requested: number;
  readonly limit: number;
}

/**
 * What the plugins note about a request on its way through them, for its log
 * line, its metrics, the rate limiter and `extensions.cost`. One entry per
 * request in one WeakMap, where there were five: an entry costs a few thousand
 * instructions to add and to collect, on a `{ __typename }` of 260,000 in all
 * (bench/RESULTS.md, "Nineteenth session").
 */
export interface RequestRecord {
  /** `performance.now()` when the first plugin saw the request. */
  readonly startedAt: number;
  readonly path: string;
  /** The id returned in `x-request-id`, and in an unexpected error's `extensions.requestId`. */
  readonly id: string;
  /** The name the client gave (a cached answer runs nothing, so that is all it has), then the operation the document runs. */
  operation?: RequestOperation;
  /** Set once the cost is calculated (src/limits.ts). */
  cost?: OperationCost;
}

const records = new WeakMap<Request, RequestRecord>();

/** The request's record; undefined for one Yoga answered before the first plugin's onRequest (a health check, a CORS preflight). */
export function recordOf(request: Request): RequestRecord | undefined {
  return records.get(request);
}

/** The caller's id, cut to 200 characters, or a new one. */
export function requestIdOf(header: string | null | undefined): string {
  return header?.slice(0, 200) || randomUUID();
}

/** The request's id: its record's, or, for a request without one, a new one. */
export function requestIdFor(request: Request): string {
  return records.get(request)?.id ?? requestIdOf(request.headers.get(REQUEST_ID_HEADER));
}

/**
 * Opens each request's record, so it goes first; then records the operation
 * the client named and the one the document actually runs, named there even
 * when the client sent a persisted query's hash.
 */
export function useRequestRecord(): Plugin {
  return {
    // Yoga's parsed URL, kept: parsing request.url again for the log line cost 2% of a cached answer's CPU.
    onRequest({ request, url }) {
      records.set(request, { startedAt: performance.now(), path: url.pathname, id: requestIdOf(request.headers.get(REQUEST_ID_HEADER)) });
    },
    onParams({ request, params }) {
      const record = records.get(request);
      if (record !== undefined && params.operationName) record.operation = { name: params.operationName };
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const record = request && records.get(request);
      const operation = getOperationAST(args.document, args.operationName);
      if (record && operation) record.operation = { name: operation.name?.value, type: operation.operation };
    },
  };
}
