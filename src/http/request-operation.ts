import { getOperationAST, type OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Where GraphQL is served: Yoga's default endpoint. */
export const GRAPHQL_PATH = '/graphql';

export interface RequestOperation {
  /** The operation's name; for an anonymous one, absent. */
  readonly name?: string;
  /** Known once the operation runs; a cached answer skips that. */
  readonly type?: OperationTypeNode;
}

const operations = new WeakMap<Request, RequestOperation>();

/** The operation a request ran, for its log line and its metrics; undefined before its parameters are read. */
export function operationOf(request: Request): RequestOperation | undefined {
  return operations.get(request);
}

/** Records the operation name a client gave; the response cache's early answers, which skip onParams, call it too. */
export function noteRequestedOperation(request: Request, name: string | null | undefined): void {
  if (name) operations.set(request, { name });
}

/**
 * Records each request's operation: the name the client gave (a cached answer
 * runs nothing, so that is all it has), then the operation the document
 * actually runs, named there even when the client sent a persisted query's hash.
 */
export function useRequestOperation(): Plugin {
  return {
    onParams({ request, params }) {
      noteRequestedOperation(request, params.operationName);
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const operation = getOperationAST(args.document, args.operationName);
      if (request !== undefined && operation) operations.set(request, { name: operation.name?.value, type: operation.operation });
    },
  };
}
