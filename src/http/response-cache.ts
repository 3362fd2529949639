import { createHash } from 'node:crypto';
import type { BuildResponseCacheKeyFunction } from '@envelop/response-cache';
import { createRedisCache } from '@envelop/response-cache-redis';
import stableStringify from 'fast-json-stable-stringify';
import { type Cache, createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import { findSeedDigest } from '../db/queries/seed-state.js';

/** How long this server keeps an answer; Redis expires it too. */
export const RESPONSE_CACHE_TTL_MS = 5 * 60_000;
/** What a browser or CDN is told: fresh for a minute, then revalidated with `If-None-Match`. */
export const CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=60';

export interface ResponseCacheOptions {
  readonly db: Kysely<DB>;
  /** Shared by every instance when given; otherwise an in-process LRU. */
  readonly redis: Redis | null;
  /** How long the knowledge base's version is trusted before it is read again; a reseed shows within it. */
  readonly versionMaxAgeMs?: number;
}

/**
 * Caches GET queries (the requests a CDN can cache too): each answer gets an
 * `ETag`, `If-None-Match` with it answers 304, and `Cache-Control` lets a CDN
 * keep it. Keys carry the digest of the seeds the database was loaded from,
 * so reseeding (even by another process) retires every cached answer and ETag.
 */
export function useHttpResponseCache({ db, redis, versionMaxAgeMs = 1000 }: ResponseCacheOptions): Plugin[] {
  // Hashed, not cut short: a generated knowledge base's digest (`generated:events=…:seed=…`) is no hash.
  const dataVersion = memoized(async () => versionOf(await findSeedDigest(db)), versionMaxAgeMs);
  const store = redis === null ? createInMemoryCache({ max: 1000 }) : redisCacheWithoutEntityIndex(redis);
  const cache: Cache = {
    ...store,
    // An ETag from before a reseed names an answer that is no longer true.
    async get(key) {
      return key.startsWith(`"${await dataVersion()}-`) ? serializedOnce(await store.get(key)) : undefined;
    },
  };
  return [
    useResponseCache({
      session: () => null,
      cache,
      ttl: RESPONSE_CACHE_TTL_MS,
      enabled: (request) => request.method === 'GET',
      // Quoted, because the key is also the ETag, and an HTTP entity tag is a quoted string.
      // Yoga builds a key for every request before it asks `enabled`: a POST, never cached,
      // skips the SHA-256 (about 4% of the CPU of a cheap request).
      buildResponseCacheKey: async (params) => (params.request.method === 'GET' ? `"${await dataVersion()}-${operationKey(params)}"` : 'uncached'),
      shouldCacheResult: ({ result }) => {
        if (result.errors?.length) return false;
        const http = ((result.extensions ??= {}).http ??= {}) as { headers?: Record<string, string> };
        (http.headers ??= {})['Cache-Control'] = CACHE_CONTROL;
        return true;
      },
    }),
    {
      // A cache between client and server must keep one copy per encoding and per format asked for.
      onResponse({ request, response }) {
        if (request.method === 'GET') response.headers.set('vary', 'Accept, Accept-Encoding');
      },
    },
  ];
}

/**
 * The Redis cache of @envelop/response-cache-redis, minus its per-type
 * invalidation index: those sets never expire, and the knowledge base only
 * changes wholesale, which the versioned keys already handle.
 */
function redisCacheWithoutEntityIndex(redis: Redis): Cache {
  const cache = createRedisCache({ redis });
  // Redis down means uncached answers, not failed ones.
  return {
    get: async (id) => {
      try {
        return await cache.get(id);
      } catch {
        return undefined;
      }
    },
    invalidate: () => {},
    set: async (id, data, _entities, ttl) => {
      try {
        await cache.set(id, data, [], ttl);
      } catch {
        // Not cached this time.
      }
    },
  };
}

/**
 * What @envelop/response-cache's default key hashes (document, operation name,
 * variables in a stable order), hashed by node:crypto. The default hashes with
 * WebCrypto, whose digest is a job on libuv's thread pool: on a cache hit that
 * round trip took 12% of the CPU; this takes microseconds, synchronously.
 */
function operationKey({ documentString, operationName, variableValues }: Parameters<BuildResponseCacheKeyFunction>[0]): string {
  return createHash('sha256')
    .update([documentString, operationName ?? '', stableStringify(variableValues ?? {})].join('|'))
    .digest('hex');
}

type CachedResult = Awaited<ReturnType<Cache['get']>>;
const serializations = new WeakMap<object, string>();

/**
 * Yoga turns a cached result into JSON again on every hit: 13% of a hit's CPU
 * for a page of 20 events. An in-memory entry is the same object every time,
 * so its JSON is kept with it, through the `stringify` that Yoga's result
 * processor calls when a result brings one (graphql-jit's results do).
 */
function serializedOnce(result: CachedResult): CachedResult {
  if (result == null) return result;
  const entry = result as object;
  return Object.assign(result, {
    stringify: (sanitized: unknown) => {
      let json = serializations.get(entry);
      if (json === undefined) serializations.set(entry, (json = JSON.stringify(sanitized)));
      return json;
    },
  });
}

function versionOf(digest: string | null): string {
  return digest === null ? 'unseeded' : createHash('sha256').update(digest).digest('hex').slice(0, 16);
}

function memoized<T>(read: () => Promise<T>, maxAgeMs: number): () => Promise<T> {
  let value: Promise<T> | undefined;
  let readAt = 0;
  return () => {
    if (value === undefined || performance.now() - readAt > maxAgeMs) {
      readAt = performance.now();
      value = read();
      value.catch(() => (value = undefined));
    }
    return value;
  };
}
