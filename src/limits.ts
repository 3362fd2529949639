import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { type DocumentNode, getOperationAST, GraphQLError, type GraphQLSchema, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { OperationLimits } from './config.js';
import { ErrorCode, limitExceeded } from './errors.js';
import { recordOf } from './http/request-record.js';
import { documentInputBoundsRule, variableBoundsErrors } from './input-bounds.js';

/** graphql-js 16 validates no operation type against the schema; ours has queries only. */
function unsupportedOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): GraphQLError | null {
  const operation = getOperationAST(document, operationName);
  if (!operation || schema.getRootType(operation.operation)) return null;
  return new GraphQLError(`This API answers queries only; it has no ${operation.operation} operations`, {
    nodes: [operation],
    extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
  });
}

/** Documents longer than this are parsed every time: a cache keyed by the text must not hold megabytes per entry. */
export const MAX_CACHED_DOCUMENT_LENGTH = 10_000;

/**
 * How many parsed documents are kept. Each keeps its graphql-jit compilation alive too (the plugin
 * holds it by the document), and a compiled document that has run takes about a megabyte: 400
 * distinct dashboard-sized documents (three lists of 100 events with their participants and
 * citations, 723 characters) left 371 MB of heap with 256 kept, 89 MB without compiling.
 */
export const MAX_CACHED_DOCUMENTS = 64;

/**
 * Yoga caches parsed documents and parse errors by their text, 1,024 of each by default: filled with
 * distinct documents of up to MAX_BODY_BYTES, that is a gigabyte kept for an hour. Ours keeps
 * MAX_CACHED_DOCUMENTS of ordinary size and no parse errors (a refused document costs next to nothing
 * to refuse again).
 */
export function boundedParserCache() {
  // For an hour at most, as Yoga's own cache keeps them.
  const documents = new LRUCache<string, DocumentNode>({ max: MAX_CACHED_DOCUMENTS, ttl: 60 * 60_000 });
  return {
    documentCache: {
      get: (key: string) => documents.get(key),
      set: (key: string, value: DocumentNode) => {
        if (key.length <= MAX_CACHED_DOCUMENT_LENGTH) documents.set(key, value);
      },
    },
    errorCache: { get: () => undefined, set: () => {} },
    // Kept by useValidationCache instead, by the document alone.
    validationCache: false,
  };
}

/**
 * Validation results by document. Yoga's cache keys them by the names of the
 * validation rules too, joined into one string and looked up on every request
 * in case a plugin changes the rules per request: 8.8% of the CPU of
 * `{ __typename }` (bench/RESULTS.md). This server's rules are fixed when it
 * starts (useOperationLimits), so the document is key enough. Documents are the
 * parser cache's objects, so a repeat finds its entry, which lives as long as
 * its document.
 */
export function useValidationCache(): Plugin {
  const results = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  return {
    onValidate({ params: { documentAST }, setResult }) {
      const known = results.get(documentAST);
      if (known !== undefined) return setResult(known);
      // Typed loosely for custom validate functions; graphql's returns GraphQLErrors.
      return ({ result }) => void results.set(documentAST, result as readonly GraphQLError[]);
    },
  };
}

/**
 * Refuses, before execution, any operation past one of the limits, each with its own code:
 * tokens while parsing (so a huge document is never built), depth, aliases, directives and
 * string and list inputs written in the document while validating (results cached per document),
 * then the inputs in variables and the calculated cost, which depend on the variables.
 */
export function useOperationLimits(limits: OperationLimits): Plugin[] {
  // Made once: a rule is a function of the validation context, and the limits are fixed.
  const rules = [
    maxDepthRule({ n: limits.depth, flattenFragments: true, propagateOnRejection: false, onReject: [reject(ErrorCode.DEPTH_LIMIT_EXCEEDED, 'Depth', limits.depth)] }),
    maxAliasesRule({ n: limits.aliases, allowList: [], propagateOnRejection: false, onReject: [reject(ErrorCode.ALIAS_LIMIT_EXCEEDED, 'Alias', limits.aliases)] }),
    maxDirectivesRule({ n: limits.directives, propagateOnRejection: false, onReject: [reject(ErrorCode.DIRECTIVE_LIMIT_EXCEEDED, 'Directive', limits.directives)] }),
    documentInputBoundsRule(limits),
  ];
  return [
    maxTokensPlugin({
      n: limits.tokens,
      propagateOnRejection: false,
      onReject: [
        // Thrown from inside the lexer: parsing stops at the first token over the limit.
        () => {
          throw limitExceeded(ErrorCode.TOKEN_LIMIT_EXCEEDED, 'Token', limits.tokens, null);
        },
      ],
    }) as Plugin,
    {
      onValidate({ addValidationRule }) {
        for (const rule of rules) addValidationRule(rule);
      },
      onExecute({ args, setResultAndStopExecution }) {
        const unsupported = unsupportedOperation(args.schema, args.document, args.operationName);
        if (unsupported) return void setResultAndStopExecution({ errors: [unsupported] });
        const variableErrors = variableBoundsErrors(args.variableValues, limits);
        if (variableErrors.length > 0) return void setResultAndStopExecution({ errors: variableErrors });
        const { errors, cost } = operationCost(args.schema, args.document, args.variableValues ?? {}, args.operationName, args.contextValue as object, limits.cost);
        if (errors.length > 0) return void setResultAndStopExecution({ errors });
        const request = (args.contextValue as { request?: Request }).request;
        const record = request && recordOf(request);
        // For the rate limiter and `extensions.cost`.
        if (cost !== null && record) record.cost = { requested: cost, limit: limits.cost };
      },
      onSubscribe({ args, setResultAndStopExecution }) {
        const unsupported = unsupportedOperation(args.schema, args.document, args.operationName);
        if (unsupported) setResultAndStopExecution({ errors: [unsupported] });
      },
      onExecutionResult({ request, result, setResult }) {
        const cost = recordOf(request)?.cost;
        if (cost === undefined || Array.isArray(result) || !result || !('data' in result)) return;
        setResult({ ...result, extensions: { ...result.extensions, cost } });
      },
    },
  ];
}

/** Armor reports the count only in its message; the refusal we send names the limit and that count. */
function reject(code: ErrorCode, limit: string, max: number): GraphQLArmorRejectCallback {
  return (context, error) => {
    const actual = /found (\d+)/.exec(error.message)?.[1];
    context?.reportError(limitExceeded(code, limit, max, actual === undefined ? null : Number(actual)));
  };
}

/** Accepted costs of a document, by operation name and variables; documents are Yoga's cached objects, so a repeat finds its entry. */
const acceptedCosts = new WeakMap<DocumentNode, Map<string, number>>();
/** Distinct variable sets remembered per document: a client paging with fresh cursors must not grow it without end. */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * The operation's cost under these variables, computed by plugin-complexity
 * from the fields' costs (src/schema/cost.ts). Computing it walks the whole
 * document with graphql's validator, about 7% of the CPU of a cheap query, and
 * the costs depend on arguments alone, so an accepted cost is remembered.
 */
function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown>,
  operationName: string | null | undefined,
  context: object,
  max: number,
): { errors: readonly GraphQLError[]; cost: number | null } {
  let costs = acceptedCosts.get(document);
  const key = `${operationName ?? ''}\0${JSON.stringify(variableValues)}`;
  const known = costs?.get(key);
  if (known !== undefined && known <= max) return { errors: [], cost: known };
  let cost: number | null = null;
  const errors = validate(schema, document, [
    createComplexityRule({
      context,
      variableValues,
      operationName,
      validate: ({ complexity }, reportError) => {
        cost = complexity;
        if (complexity > max) reportError(limitExceeded(ErrorCode.COST_LIMIT_EXCEEDED, 'Cost', max, complexity));
      },
    }),
  ]);
  if (errors.length === 0 && cost !== null) {
    if (costs === undefined) acceptedCosts.set(document, (costs = new Map()));
    if (costs.size >= MAX_COSTS_PER_DOCUMENT) costs.delete(costs.keys().next().value!);
    costs.set(key, cost);
  }
  return { errors, cost };
}

const tooLarge = () =>
  new GraphQLError('Request body too large', { extensions: { code: ErrorCode.REQUEST_ENTITY_TOO_LARGE, http: { status: 413 } } });

/**
 * Yoga's `maxRequestBodySize`, without its cost on every request. Yoga pipes
 * every body through a counting stream, and tearing that pipeline down builds
 * an AbortError (a DOMException, with its stack trace) per request: together
 * about 5% of the CPU a cheap query takes. A body with a valid Content-Length
 * cannot be longer (Node's HTTP parser reads that many bytes and no more), so
 * only a body without one (chunked) is counted, as Yoga counts it.
 */
export function useRequestBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        // Only one non-negative integer is a Content-Length; "5, 5" and the like are smuggling attempts.
        if (!/^\d+$/.test(length)) {
          throw new GraphQLError('Content-Length header is invalid', { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } });
        }
        if (Number(length) > limit) throw tooLarge();
        return;
      }
      if (requestParser === undefined || request.body === null) return;
      setRequestParser((original) => {
        let bytesRead = 0;
        // Yoga's choice of stream class: a native body needs the native TransformStream (graphql-yoga#4583).
        const Transform = original.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        const counted = original.body!.pipeThrough(
          new Transform({
            transform(chunk: Uint8Array, controller) {
              bytesRead += chunk.byteLength;
              if (bytesRead > limit) controller.error(tooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        // @ts-expect-error `duplex` is missing from TypeScript's RequestInit; a streamed body needs it.
        return requestParser(new fetchAPI.Request(original.url, { method: original.method, headers: original.headers, signal: original.signal, body: counted, duplex: 'half' }));
      });
    },
  };
}
