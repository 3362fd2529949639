import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { type DocumentNode, getOperationAST, GraphQLError, type GraphQLSchema, validate } from 'graphql';
import { _createLRUCache, type Plugin } from 'graphql-yoga';
import type { OperationLimits } from './config.js';
import { ErrorCode, limitExceeded } from './errors.js';

/** graphql-js 16 validates no operation type against the schema; ours has queries only. */
function unsupportedOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): GraphQLError | null {
  const operation = getOperationAST(document, operationName);
  if (!operation || schema.getRootType(operation.operation)) return null;
  return new GraphQLError(`This API answers queries only; it has no ${operation.operation} operations`, {
    nodes: [operation],
    extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
  });
}
import { documentInputBoundsRule, variableBoundsErrors } from './input-bounds.js';

/** What an accepted operation costs, and the most one may cost; returned in `extensions.cost`. */
export interface OperationCost {
  readonly requested: number;
  readonly limit: number;
}

/** Documents longer than this are parsed every time: a cache keyed by the text must not hold megabytes per entry. */
const MAX_CACHED_DOCUMENT_LENGTH = 10_000;

/**
 * Yoga caches parsed documents and parse errors by their text, 1,024 of each by default: filled with
 * distinct documents of up to MAX_BODY_BYTES, that is a gigabyte kept for an hour. Ours keeps 256
 * documents of ordinary size and no parse errors (a refused document costs next to nothing to refuse again).
 */
export function boundedParserCache() {
  const documents = _createLRUCache<DocumentNode>({ max: 256 });
  return {
    documentCache: {
      get: (key: string) => documents.get(key),
      set: (key: string, value: DocumentNode) => {
        if (key.length <= MAX_CACHED_DOCUMENT_LENGTH) documents.set(key, value);
      },
    },
    errorCache: { get: () => undefined, set: () => {} },
  };
}

/** The calculated cost of each request's operation, for the rate limiter and `extensions.cost`. */
export const costOfRequest = new WeakMap<Request, OperationCost>();

/**
 * Refuses, before execution, any operation past one of the limits, each with its own code:
 * tokens while parsing (so a huge document is never built), depth, aliases, directives and
 * string and list inputs written in the document while validating (results cached per document),
 * then the inputs in variables and the calculated cost, which depend on the variables.
 */
export function useOperationLimits(limits: OperationLimits): Plugin[] {
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
        addValidationRule(maxDepthRule({ n: limits.depth, flattenFragments: true, propagateOnRejection: false, onReject: [reject(ErrorCode.DEPTH_LIMIT_EXCEEDED, 'Depth', limits.depth)] }));
        addValidationRule(maxAliasesRule({ n: limits.aliases, allowList: [], propagateOnRejection: false, onReject: [reject(ErrorCode.ALIAS_LIMIT_EXCEEDED, 'Alias', limits.aliases)] }));
        addValidationRule(
          maxDirectivesRule({ n: limits.directives, propagateOnRejection: false, onReject: [reject(ErrorCode.DIRECTIVE_LIMIT_EXCEEDED, 'Directive', limits.directives)] }),
        );
        addValidationRule(documentInputBoundsRule(limits));
      },
      onExecute({ args, setResultAndStopExecution }) {
        const unsupported = unsupportedOperation(args.schema, args.document, args.operationName);
        if (unsupported) return void setResultAndStopExecution({ errors: [unsupported] });
        const variableErrors = variableBoundsErrors(args.variableValues, limits);
        if (variableErrors.length > 0) return void setResultAndStopExecution({ errors: variableErrors });
        const { errors, cost } = operationCost(args.schema, args.document, args.variableValues ?? {}, args.operationName, args.contextValue as object, limits.cost);
        if (errors.length > 0) return void setResultAndStopExecution({ errors });
        const request = (args.contextValue as { request?: Request }).request;
        if (cost !== null && request) costOfRequest.set(request, { requested: cost, limit: limits.cost });
      },
      onSubscribe({ args, setResultAndStopExecution }) {
        const unsupported = unsupportedOperation(args.schema, args.document, args.operationName);
        if (unsupported) setResultAndStopExecution({ errors: [unsupported] });
      },
      onExecutionResult({ request, result, setResult }) {
        const cost = costOfRequest.get(request);
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

/** The operation's cost under these variables, computed by plugin-complexity from the fields' costs (src/schema/cost.ts). */
function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown>,
  operationName: string | null | undefined,
  context: object,
  max: number,
): { errors: readonly GraphQLError[]; cost: number | null } {
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
  return { errors, cost };
}
