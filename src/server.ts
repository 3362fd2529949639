import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { type DocumentNode, Kind } from 'graphql';
import { getCORSHeadersByRequestAndOptions } from '@whatwg-node/server';
import { type CORSOptions, createYoga, type FetchAPI, type Plugin, type YogaLogger } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { corsOptions, useBrowserSafety } from './browser-safety.js';
import { type Config, loadConfig } from './config.js';
import { type Context, createContext } from './context.js';
import type { DB } from './db/database.js';
import { describeUnavailable } from './db/faults.js';
import { pendingMigrations } from './db/migrate.js';
import type { StartupStatus } from './db/startup.js';
import { useErrorCodes } from './error-codes.js';
import { CompressionStream } from './http/compression.js';
import { asFetchRequest, type EarlyAnswer, headerOf, VARY } from './http/early-answers.js';
import { graphiqlOptions, graphiqlPage, renderOfflineGraphiQL } from './http/graphiql.js';
import { type HttpLayer, httpPlugins } from './http/plugins.js';
import { GRAPHQL_PATH, recordOf, REQUEST_ID_HEADER, requestIdFor, requestIdOf, useRequestRecord } from './http/request-record.js';
import { boundedParserCache, MAX_CACHED_DOCUMENT_LENGTH, useOperationLimits, useRequestBodyLimit, useValidationCache } from './limits.js';
import { createRateLimit, RATE_LIMIT_HEADERS } from './rate-limit.js';
import { maskError, useRequestDeadline, useStartupGate } from './reliability.js';
import { schema } from './schema/index.js';

export interface ServerOptions {
  readonly db: Kysely<DB>;
  readonly logger: Logger;
  /** Limits, timeouts, CORS, rate limiting, persisted operations; the defaults of an empty environment when omitted. */
  readonly config?: Config;
  /** Shares the rate-limit budget, the response cache and persisted queries between instances; in memory without it. */
  readonly redis?: Redis | null;
  /** Set while main.ts is still migrating and seeding; absent, the database is taken as prepared. */
  readonly startup?: StartupStatus;
}

export { EXAMPLE_OPERATIONS } from './http/examples.js';

/**
 * Builds the Yoga instance, with the request listener main.ts serves it by
 * (`httpListener`); listening is main.ts's job, so tests call `yoga.fetch`
 * without a port.
 */
export function createServer({ db, logger, config = loadConfig({}), redis = null, startup }: ServerOptions) {
  const rateLimit = config.rateLimit ? createRateLimit(config.rateLimit, redis, logger) : null;
  const http = httpPlugins({
    db,
    redis,
    persistedOperationsOnly: config.persistedOperationsOnly,
    responseCacheBytes: config.responseCacheMb * 1024 * 1024,
    admit: rateLimit?.admit,
  });
  const cors = corsOptions(config.cors, [REQUEST_ID_HEADER, ...RATE_LIMIT_HEADERS]);
  const yoga = createYoga<{}, Context>({
    schema,
    context: () => createContext(db),
    logging: yogaLogger(logger),
    graphiql: graphiqlOptions,
    renderGraphiQL: renderOfflineGraphiQL,
    landingPage: false,
    // Never echo an internal error's message or stack, whatever NODE_ENV says.
    maskedErrors: { isDev: false, maskError },
    healthCheckEndpoint: '/health',
    cors,
    multipart: false,
    // Counted by useRequestBodyLimit, at a fraction of the cost.
    maxRequestBodySize: false,
    parserAndValidationCache: boundedParserCache(),
    // Brotli at a quality meant for answers made per request (src/http/compression.ts).
    fetchAPI: { CompressionStream },
    plugins: [
      useRequestRecord(),
      useRequestLogging(logger),
      useReadiness(db, startup),
      ...useBrowserSafety(),
      useRequestBodyLimit(config.limits.bodyBytes),
      useValidationCache(),
      ...useOperationLimits(config.limits),
      ...(rateLimit ? [rateLimit.plugin] : []),
      ...(startup ? [useStartupGate(startup)] : []),
      // Before the deadline and the response cache, which wrap whatever executor is set when they run.
      useCompiledExecution(),
      useRequestDeadline(config.timeouts.requestMs),
      useErrorCodes(requestIdFor),
      ...http.plugins,
    ],
  });
  return Object.assign(yoga, { httpListener: nodeRequestListener(yoga, http, cors, logger) });
}

/**
 * Writes GraphiQL's page (src/http/graphiql.ts) and a GET's cached answer
 * (src/http/response-cache.ts) before Yoga's Fetch adapter sees the request,
 * with the CORS headers, Vary, request id, log line and metrics Yoga's hooks
 * would give them; hands every other request to Yoga.
 */
function nodeRequestListener(yoga: (request: IncomingMessage, response: ServerResponse) => unknown, http: HttpLayer, cors: CORSOptions, logger: Logger) {
  const declined = (error: unknown) => {
    logger.warn({ err: error }, 'answering ahead of Yoga failed; answering through Yoga');
    return null;
  };
  return (request: IncomingMessage, response: ServerResponse): unknown => {
    const started = performance.now();
    // GraphiQL's first: Yoga renders it for any GET accepting text/html, ahead of its pipeline.
    const lookup: Promise<EarlyAnswer | null> | null = graphiqlPage(request) ?? http.cachedAnswer(request);
    if (lookup === null) return yoga(request, response);
    return lookup.catch(declined).then((answer) => {
      if (answer === null) return yoga(request, response);
      const id = requestIdOf(headerOf(request, REQUEST_ID_HEADER));
      const { Vary: varyByOrigin, ...crossOrigin } = getCORSHeadersByRequestAndOptions(asFetchRequest(request), cors) ?? {};
      const { status } = answer;
      response.writeHead(status, {
        ...answer.headers,
        ...crossOrigin,
        vary: varyByOrigin === undefined ? VARY : `${varyByOrigin}, ${VARY}`,
        // A 304's Content-Length would be the 200's (RFC 9110 §8.6); a cache could take 0 for it.
        ...(status === 200 ? { 'content-length': answer.body.length } : {}),
        [REQUEST_ID_HEADER]: id,
      });
      response.end(answer.body);
      const ms = performance.now() - started;
      logRequest(logger, { requestId: id, method: 'GET', path: GRAPHQL_PATH, operation: answer.operationName, status, ms });
      http.observe({ operationName: answer.operationName, method: 'GET', status }, ms / 1000);
    });
  };
}

/**
 * `GET /ready`. Yoga's useReadinessCheck does the same, but matches every
 * other request against a URLPattern too (the polyfill's regular expressions):
 * 5% of the CPU of a cached answer. The path alone decides here.
 */
function useReadiness(db: Kysely<DB>, startup?: StartupStatus): Plugin {
  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname === '/ready') return readiness(db, fetchAPI, startup).then(endResponse);
    },
  };
}

// Yoga's own Response class (fetchAPI), not the global one: compression pipes its body through Yoga's streams.
async function readiness(db: Kysely<DB>, fetchAPI: FetchAPI, startup?: StartupStatus): Promise<Response> {
  const notReady = (reason: string) => fetchAPI.Response.json({ status: 'unavailable', reason }, { status: 503 });
  if (startup !== undefined && !startup.ready) return notReady(startup.reason);
  let pending: string[];
  try {
    await sql`select 1`.execute(db);
    pending = await pendingMigrations(db);
  } catch (error) {
    // The driver's message names the host and port; the reason is public, so it says only what went wrong.
    return notReady(`database unreachable: ${describeUnavailable(error)}`);
  }
  if (pending.length > 0) return notReady(`database not migrated: ${pending.length} pending migration(s)`);
  return new fetchAPI.Response(null, { status: 200 });
}

/**
 * Executes with graphql-jit, which compiles each document into a function:
 * executing a cheap query takes about a quarter less CPU than Yoga's executor
 * (bench/RESULTS.md). Only documents of one operation: the plugin caches a
 * compiled document without its operation name, so a document of several
 * (GraphiQL's examples, for one) would run the first operation it compiled.
 * Only documents the parser cache keeps, and only once they have run
 * RUNS_BEFORE_COMPILING times (below).
 */
function useCompiledExecution(): Plugin {
  return useGraphQlJit({}, { enableIf: compilesAfterRuns(RUNS_BEFORE_COMPILING) }) as Plugin;
}

/**
 * A document is compiled when it runs again, not the first time. Compiling a
 * page of events takes 0.37 ms, several runs' worth of what compiling saves,
 * and a compiled document holds up to a megabyte while it stays parsed
 * (src/limits.ts); most documents typed in GraphiQL, or invented by a client,
 * run once. In alternating runs: 2,000 distinct pages sent once cost 1.11–1.26
 * ms of CPU each, against 1.23–1.57 ms compiled at once; 400 distinct
 * dashboard-sized documents left a peak RSS of 276 MB, against 393 MB, though
 * they took 14.4 s against 11.0 s, graphql-js being slower than compiled code
 * on large answers. Repeated documents (a dashboard's) run compiled from their
 * second run, at the same cost as before.
 */
export const RUNS_BEFORE_COMPILING = 1;

/** Whether a document is to be compiled at this run: past its first `runs` runs, as long as the parser cache keeps it. */
export function compilesAfterRuns(runs: number): (args: { document: DocumentNode }) => boolean {
  const counted = new WeakMap<DocumentNode, number>();
  return ({ document }) => {
    if (!hasOneOperation(document) || (document.loc?.source.body.length ?? Infinity) > MAX_CACHED_DOCUMENT_LENGTH) return false;
    const run = (counted.get(document) ?? 0) + 1;
    if (run > runs) return true;
    counted.set(document, run);
    return false;
  };
}

function hasOneOperation(document: DocumentNode): boolean {
  let operations = 0;
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) operations++;
  return operations === 1;
}

/** The id of the request being served, for log lines written where the request is not at hand (Yoga's own). */
const currentRequestId = new AsyncLocalStorage<string>();

/** Yoga's log lines (an unexpected error's cause among them) carry the id the client sees in `extensions.requestId`. */
function yogaLogger(logger: Logger): YogaLogger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (first?: unknown, ...rest: unknown[]) => {
    // Yoga writes three debug lines per request: below the level, not one is built.
    if (!logger.isLevelEnabled(level)) return;
    const id = currentRequestId.getStore();
    const bindings = id === undefined ? {} : { requestId: id };
    if (first instanceof Error) logger[level]({ ...bindings, err: first }, first.message);
    else logger[level](bindings, [first, ...rest].map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 2 }))).join(' '));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Probes and scrapes come every few seconds; at info they would drown the requests worth reading. */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

/**
 * One log line per request, with its id, which is also returned in the
 * `x-request-id` header, and the operation it ran (named in the document even
 * when the client sent only a persisted query's hash).
 */
function useRequestLogging(logger: Logger): Plugin {
  return {
    onRequest({ request }) {
      const record = recordOf(request);
      // Everything this request runs from here on, resolvers included, sees its id.
      if (record !== undefined) currentRequestId.enterWith(record.id);
    },
    onResponse({ request, response }) {
      const record = recordOf(request);
      const id = requestIdFor(request);
      response.headers.set(REQUEST_ID_HEADER, id);
      const operation = record?.operation;
      logRequest(logger, {
        requestId: id,
        method: request.method,
        path: record?.path ?? new URL(request.url).pathname,
        operation: operation?.name ?? (operation?.type && `anonymous ${operation.type}`),
        status: response.status,
        ms: record === undefined ? undefined : performance.now() - record.startedAt,
      });
    },
  };
}

interface RequestLogLine {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly operation: string | undefined;
  readonly status: number;
  readonly ms: number | undefined;
}

function logRequest(logger: Logger, line: RequestLogLine): void {
  const level = QUIET_PATHS.has(line.path) ? 'debug' : 'info';
  if (logger.isLevelEnabled(level)) logger[level]({ ...line, ms: line.ms === undefined ? undefined : Math.round(line.ms * 10) / 10 }, 'request');
}
