import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig } from './config.js';
import { ErrorCode } from './errors.js';
import { recordOf } from './http/request-record.js';

export const API_KEY_HEADER = 'x-api-key';

/** The headers a client budgets by (IETF draft "RateLimit header fields for HTTP"), exposed to browsers too. */
export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'] as const;

/** Who a request counts against: an issued API key if it sent one, else its address. */
export interface RateLimitClient {
  readonly apiKey: string | null | undefined;
  readonly address: string | undefined;
}

export interface RateLimit {
  readonly plugin: Plugin;
  /**
   * Charges a request one point before Yoga sees it, for an answer served from the
   * response cache ahead of Yoga (src/server.ts): the RateLimit headers to send with
   * it, or null when over budget. The request then goes the usual way, which charges
   * it again and answers 429.
   */
  admit(client: RateLimitClient): Promise<Record<string, string> | null>;
}

/**
 * A budget of cost points per client and window: every GraphQL request costs at least 1 point,
 * and an operation that runs costs its calculated cost. Clients are told apart by a known API key
 * in `x-api-key`, else by IP. With Redis the budget is shared by every instance; without it, or
 * while Redis is unreachable, each instance counts in its own memory.
 */
export function createRateLimit(config: RateLimitConfig, redis: Redis | null, logger: Logger): RateLimit {
  const memory = new RateLimiterMemory({ points: config.points, duration: config.windowSeconds, keyPrefix: config.keyPrefix });
  const limiter: RateLimiterAbstract =
    redis === null
      ? memory
      : new RateLimiterRedis({ storeClient: redis, points: config.points, duration: config.windowSeconds, keyPrefix: config.keyPrefix, insuranceLimiter: memory });
  const apiKeys = new Set(config.apiKeys);
  const clientOf = new WeakMap<Request, string>();
  const stateOf = new WeakMap<Request, RateLimiterRes>();

  /** Charges a client: its budget's state after the charge (undefined if the store failed), and whether it was over. */
  async function consume(client: string, points: number): Promise<{ state?: RateLimiterRes; refused: boolean }> {
    try {
      return { state: await limiter.consume(client, points), refused: false };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { state: rejection, refused: true };
      // A store failure must not take the API down with it: the request goes through uncounted.
      logger.warn({ err: rejection }, 'rate limiter store failed; request not counted');
      return { refused: false };
    }
  }

  /** Charges the request's client; null if within budget, else the 429 error to answer. */
  async function charge(request: Request, points: number): Promise<GraphQLError | null> {
    const { state, refused } = await consume(clientOf.get(request) ?? 'ip:unknown', points);
    if (state !== undefined) stateOf.set(request, state);
    if (state === undefined || !refused) return null;
    const retryAfter = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    return new GraphQLError(`Rate limit exceeded: at most ${config.points} cost points per ${config.windowSeconds} s; retry in ${retryAfter} s`, {
      extensions: { code: ErrorCode.RATE_LIMITED, limit: { max: config.points, windowSeconds: config.windowSeconds }, http: { status: 429 } },
    });
  }

  const plugin: Plugin = {
    onRequest({ request, serverContext }) {
      const address = (serverContext as ServerContext | undefined)?.req?.socket?.remoteAddress;
      clientOf.set(request, clientKey({ apiKey: request.headers.get(API_KEY_HEADER), address }, apiKeys));
    },
    // Thrown, not set as the result: a later onParams hook (the response cache's) would replace a result with its hit.
    async onParams({ request }) {
      const refused = await charge(request, 1);
      if (refused) throw refused;
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      const cost = request && recordOf(request)?.cost;
      if (!request || !cost || cost.requested <= 1) return;
      const refused = await charge(request, cost.requested - 1);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    onResponse({ request, response }) {
      const state = stateOf.get(request);
      if (state === undefined) return;
      for (const [name, value] of Object.entries(budgetHeaders(state, response.status))) response.headers.set(name, value);
    },
  };
  /** The RateLimit headers of an answer, from the budget's state after its charge. */
  const budgetHeaders = (state: RateLimiterRes, status: number): Record<string, string> => {
    const reset = Math.max(0, Math.ceil(state.msBeforeNext / 1000));
    const headers: Record<string, string> = { 'RateLimit-Limit': String(config.points), 'RateLimit-Remaining': String(state.remainingPoints), 'RateLimit-Reset': String(reset) };
    if (status === 429) headers['Retry-After'] = String(Math.max(1, reset));
    return headers;
  };
  return {
    plugin,
    async admit(client) {
      const { state, refused } = await consume(clientKey(client, apiKeys), 1);
      if (refused) return null;
      return state === undefined ? {} : budgetHeaders(state, 200);
    },
  };
}

interface ServerContext {
  readonly req?: { readonly socket?: { readonly remoteAddress?: string } };
}

function clientKey({ apiKey, address }: RateLimitClient, apiKeys: ReadonlySet<string>): string {
  // Only keys we issued count: an invented key must not buy a fresh budget.
  if (apiKey != null && apiKeys.has(apiKey)) return `key:${createHash('sha256').update(apiKey).digest('hex').slice(0, 32)}`;
  return `ip:${address ?? 'unknown'}`;
}
