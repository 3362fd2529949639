import { useContentEncoding } from '@whatwg-node/server';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
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
  /** The rate limiter's charge for a cached answer served before Yoga parses the request; none without a rate limit. */
  readonly admit?: (request: Request) => Promise<boolean>;
}

/** HTTP as clients, CDNs and operators expect it: metrics, persisted queries, caching, compression. */
export function httpPlugins({ db, redis, persistedOperationsOnly, responseCacheBytes, admit }: HttpPluginOptions): Plugin[] {
  return [
    useMetrics(EXAMPLE_OPERATION_NAMES),
    usePersistedQueries({ manifest: persistedOperationsManifest(EXAMPLE_OPERATIONS), only: persistedOperationsOnly, redis }),
    ...useHttpResponseCache({ db, redis, maxBytes: responseCacheBytes, admit, persistedOperationsOnly }),
    // Last, so it compresses the final body (gzip, deflate or br, whichever the client lists first).
    useContentEncoding<{}>(),
  ];
}
