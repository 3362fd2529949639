import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { createYoga, type Plugin, useReadinessCheck, type YogaLogger } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { corsOptions, useBrowserSafety } from './browser-safety.js';
import { type Config, loadConfig } from './config.js';
import { type Context, createContext } from './context.js';
import type { DB } from './db/database.js';
import { pendingMigrations } from './db/migrate.js';
import { maskError, useErrorCodes } from './error-codes.js';
import { boundedParserCache, useOperationLimits } from './limits.js';
import { RATE_LIMIT_HEADERS, useRateLimit } from './rate-limit.js';
import { schema } from './schema/index.js';

export interface ServerOptions {
  readonly db: Kysely<DB>;
  readonly logger: Logger;
  /** Limits, CORS and rate limiting; the defaults of an empty environment when omitted. */
  readonly config?: Config;
  /** Shared state for several instances (the rate-limit budget); created and closed by main.ts. */
  readonly redis?: Redis | null;
}

const REQUEST_ID_HEADER = 'x-request-id';

/** The operations GraphiQL opens with, shipped beside the printed schema. */
export const EXAMPLE_OPERATIONS = readFileSync(new URL('../schema/examples.graphql', import.meta.url), 'utf8');

/** Builds the Yoga instance; listening is main.ts's job, so tests call `yoga.fetch` without a port. */
export function createServer({ db, logger, config = loadConfig({}), redis = null }: ServerOptions) {
  return createYoga<{}, Context>({
    schema,
    context: ({ request }) => createContext(db, requestLogger(logger, request)),
    logging: yogaLogger(logger),
    graphiql: { title: 'Crisis knowledge base', defaultQuery: EXAMPLE_OPERATIONS },
    landingPage: false,
    // Never echo an internal error's message or stack, whatever NODE_ENV says.
    maskedErrors: { isDev: false, maskError },
    healthCheckEndpoint: '/health',
    cors: corsOptions(config.cors, [REQUEST_ID_HEADER, ...RATE_LIMIT_HEADERS]),
    multipart: false,
    maxRequestBodySize: config.limits.bodyBytes,
    parserAndValidationCache: boundedParserCache(),
    plugins: [
      useRequestLogging(logger),
      useReadinessCheck({ endpoint: '/ready', check: () => readiness(db) }),
      ...useBrowserSafety(),
      ...useOperationLimits(config.limits),
      ...(config.rateLimit ? [useRateLimit(config.rateLimit, redis, logger)] : []),
      useErrorCodes(requestId),
    ],
  });
}

async function readiness(db: Kysely<DB>): Promise<Response | boolean> {
  let pending: string[];
  try {
    await sql`select 1`.execute(db);
    pending = await pendingMigrations(db);
  } catch (error) {
    return notReady(`database unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (pending.length > 0) return notReady(`database not migrated: ${pending.length} pending migration(s)`);
  return true;
}

function notReady(reason: string): Response {
  return Response.json({ status: 'unavailable', reason }, { status: 503 });
}

// Ids are reused from the caller's header so a trace can cross services.
const requestIds = new WeakMap<Request, string>();

/** The id of the request being served, for log lines written where the request is not at hand (Yoga's own). */
const currentRequestId = new AsyncLocalStorage<string>();

/** Yoga's log lines (an unexpected error's cause among them) carry the id the client sees in `extensions.requestId`. */
function yogaLogger(logger: Logger): YogaLogger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (first?: unknown, ...rest: unknown[]) => {
    const id = currentRequestId.getStore();
    const bindings = id === undefined ? {} : { requestId: id };
    if (first instanceof Error) logger[level]({ ...bindings, err: first }, first.message);
    else logger[level](bindings, [first, ...rest].map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 2 }))).join(' '));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function requestId(request: Request): string {
  let id = requestIds.get(request);
  if (id === undefined) {
    id = request.headers.get(REQUEST_ID_HEADER)?.slice(0, 200) || randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

function requestLogger(logger: Logger, request: Request): Logger {
  return logger.child({ requestId: requestId(request) });
}

/** One log line per request, with its id, which is also returned in the `x-request-id` header. */
function useRequestLogging(logger: Logger): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
      // Everything this request runs from here on, resolvers included, sees its id.
      currentRequestId.enterWith(requestId(request));
    },
    onResponse({ request, response }) {
      const id = requestId(request);
      response.headers.set(REQUEST_ID_HEADER, id);
      const url = new URL(request.url);
      logger.info(
        {
          requestId: id,
          method: request.method,
          path: url.pathname,
          status: response.status,
          ms: Math.round((performance.now() - (started.get(request) ?? performance.now())) * 10) / 10,
        },
        'request',
      );
    },
  };
}
