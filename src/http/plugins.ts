import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import type { RateLimit } from '../rate-limit.js';
import { useCompression } from './compression.js';
import type { EarlyAnswer } from './early-answers.js';
import { EXAMPLE_OPERATION_NAMES, EXAMPLE_OPERATIONS } from './examples.js';
import { useMetrics } from './metrics.js';
import { persistedOperationsManifest, usePersistedQueries } from './persisted-operations.js';
import { useHttpResponseCache } from './response-cache.js';

export interface HttpPluginOptions {
  readonly db: Kysely<DB>;
  readonly redis: Redis | null;
  readonly persistedOperationsOnly: boolean;
  /** What the in-process response cache may hold, in characters of JSON. */
  readonly responseCacheBytes: number;
  /** The rate limiter's charge for a cached answer served before Yoga sees the request; none without a rate limit. */
  readonly admit?: RateLimit['admit'];
}

export interface HttpLayer {
  readonly plugins: Plugin[];
  /** A GET's answer from the response cache, before Yoga sees the request; null for Yoga to answer. */
  readonly cachedAnswer: (request: IncomingMessage) => Promise<EarlyAnswer | null> | null;
  /** Counts in the metrics an answer written without Yoga. */
  readonly observe: ReturnType<typeof useMetrics>['observe'];
}

/** HTTP as clients, CDNs and operators expect it: metrics, persisted queries, caching, compression. */
export function httpPlugins({ db, redis, persistedOperationsOnly, responseCacheBytes, admit }: HttpPluginOptions): HttpLayer {
  const metrics = useMetrics(EXAMPLE_OPERATION_NAMES);
  const responseCache = useHttpResponseCache({ db, redis, maxBytes: responseCacheBytes, admit, persistedOperationsOnly });
  return {
    plugins: [
      metrics.plugin,
      usePersistedQueries({ manifest: persistedOperationsManifest(EXAMPLE_OPERATIONS), only: persistedOperationsOnly, redis }),
      ...responseCache.plugins,
      // Last, so it compresses the final body (gzip, deflate or br, whichever the client lists first).
      useCompression(),
    ],
    cachedAnswer: responseCache.cachedAnswer,
    observe: metrics.observe,
  };
}
