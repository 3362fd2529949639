import { AsyncLocalStorage } from 'node:async_hooks';
import { hash } from 'node:crypto';
import type { BuildResponseCacheKeyFunction } from '@envelop/response-cache';
import { createRedisCache } from '@envelop/response-cache-redis';
import stableStringify from 'fast-json-stable-stringify';
import { type Cache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { type Plugin, processRegularResult } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { DB } from '../db/database.js';
import { CSRF_HEADERS } from '../browser-safety.js';
import { findSeedDigest } from '../db/queries/seed-state.js';
import { MAX_CACHED_DOCUMENT_LENGTH } from '../limits.js';
import { GRAPHQL_PATH, noteRequestedOperation } from './request-operation.js';

type OnRequestPayload = Parameters<NonNullable<Plugin['onRequest']>>[0];

/** What an answer is cached by, besides the knowledge base's version. */
type OperationParams = Pick<Parameters<BuildResponseCacheKeyFunction>[0], 'documentString' | 'operationName' | 'variableValues'>;

/**
 * The keys a request has looked up and missed. A GET's answer is looked up in
 * the first hook, again by Yoga's response cache before parsing and once more
 * by Envelop's before executing: with Redis, three round trips for one miss.
 */
const missedThisRequest = new AsyncLocalStorage<Set<string>>();

/** How long this server keeps an answer; Redis expires it too. */
export const RESPONSE_CACHE_TTL_MS = 5 * 60_000;
/** What a browser or CDN is told: fresh for a minute, then revalidated with `If-None-Match`. */
export const CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=60';

export interface ResponseCacheOptions {
  readonly db: Kysely<DB>;
  /** Shared by every instance when given; otherwise an in-process LRU. */
  readonly redis: Redis | null;
  /** The in-process LRU's budget, in characters of the answers' JSON. */
  readonly maxBytes: number;
  /** How long the knowledge base's version is trusted before it is read again; a reseed shows within it. */
  readonly versionMaxAgeMs?: number;
  /** Charges a request answered from the cache ahead of Yoga's parsing; false if over its budget (the rate limiter's `admit`). */
  readonly admit?: (request: Request) => Promise<boolean>;
  /** Allow-list mode: a document sent in full must be refused, even one whose answer is cached. */
  readonly persistedOperationsOnly?: boolean;
}

/**
 * Caches GET queries (the requests a CDN can cache too): each answer gets an
 * `ETag`, `If-None-Match` with it answers 304, and `Cache-Control` lets a CDN
 * keep it. Keys carry the digest of the seeds the database was loaded from,
 * so reseeding (even by another process) retires every cached answer and ETag.
 */
export function useHttpResponseCache({ db, redis, maxBytes, versionMaxAgeMs = 1000, admit, persistedOperationsOnly = false }: ResponseCacheOptions): Plugin[] {
  // Hashed, not cut short: a generated knowledge base's digest (`generated:events=…:seed=…`) is no hash.
  const dataVersion = memoized(async () => versionOf(await findSeedDigest(db)), versionMaxAgeMs);
  const store = redis === null ? inMemoryCache(maxBytes) : redisCacheWithoutEntityIndex(redis);
  const cache: Cache = {
    ...store,
    async get(key) {
      const missed = missedThisRequest.getStore();
      if (missed?.has(key)) return undefined;
      // An ETag from before a reseed names an answer that is no longer true.
      const found = key.startsWith(`"${await dataVersion()}-`) ? serializedOnce(await store.get(key)) : undefined;
      if (found == null) missed?.add(key);
      return found;
    },
  };
  const versionedKey = async (key: string) => `"${await dataVersion()}-${key}"`;
  return [
    {
      // First, so every lookup of this request, the 304 check's included, shares one record of misses.
      onRequest() {
        missedThisRequest.enterWith(new Set());
      },
    },
    useResponseCache({
      session: () => null,
      cache,
      ttl: RESPONSE_CACHE_TTL_MS,
      enabled: (request) => request.method === 'GET',
      // Quoted, because the key is also the ETag, and an HTTP entity tag is a quoted string.
      // Yoga builds a key for every request before it asks `enabled`: a POST, never cached,
      // skips the SHA-256 (about 4% of the CPU of a cheap request).
      buildResponseCacheKey: (params) => (params.request.method === 'GET' ? versionedKey(operationKey(params)) : Promise.resolve('uncached')),
      shouldCacheResult: ({ result }) => {
        if (result.errors?.length) return false;
        const http = ((result.extensions ??= {}).http ??= {}) as { headers?: Record<string, string> };
        (http.headers ??= {})['Cache-Control'] = CACHE_CONTROL;
        return true;
      },
    }),
    // After useResponseCache, whose onRequest answers If-None-Match with a 304 first.
    ...(persistedOperationsOnly ? [] : [useEarlyHits(cache, versionedKey, admit)]),
    {
      // A cache between client and server must keep one copy per encoding and per format asked for.
      onResponse({ request, response }) {
        if (request.method === 'GET') response.headers.set('vary', 'Accept, Accept-Encoding');
      },
    },
  ];
}

/**
 * Answers a cache hit in Yoga's first hook, skipping the request parsing, the
 * onRequestParse, onParams and onResultProcess hooks and the result
 * processor's media-type matching that a hit only repeats; every plugin's
 * onRequest before this one and onResponse still run (logging, metrics, CORS,
 * compression). A hit of a page of 20 events took 0.11–0.19 ms of CPU through
 * the pipeline and takes 0.09–0.11 here: 1.2–1.7× as many hits a second in
 * alternating runs (bench/RESULTS.md). No plugin does it: Yoga's response
 * cache answers in its onParams, after all of that.
 *
 * Only what the pipeline would answer with the same cached result is answered
 * here: a GET to /graphql with a CSRF header, the document in the URL (not a
 * persisted query's hash), an Accept that Yoga answers with JSON, within the
 * client's rate limit. Anything else, and every miss, goes on.
 */
function useEarlyHits(
  cache: Cache,
  versionedKey: (operationKey: string) => Promise<string>,
  admit: (request: Request) => Promise<boolean> = async () => true,
): Plugin {
  const answer = async ({ request, fetchAPI, endResponse }: OnRequestPayload, mediaType: JsonMediaType, operation: RequestedOperation) => {
    const hit = await cache.get(await versionedKey(operation.key));
    if (hit == null || !(await admit(request))) return;
    noteRequestedOperation(request, operation.name);
    endResponse(processRegularResult(hit, fetchAPI, mediaType));
  };
  // Decoding the query string, hashing what it asks for and matching the Accept header depend on
  // their text alone, so the outcomes are kept by it, as Yoga keeps parsed documents and under the
  // same bound on length; no expiry, as the text decides. A hit's CPU in alternating runs
  // (bench/RESULTS.md): first page 28–31 µs, against 34–37 without; ten node lookups, a 1.2 KB
  // query string, 33–36 µs against 42–46.
  const requested = new LRUCache<string, RequestedOperation | false>({ max: 256 });
  const mediaTypes = new LRUCache<string, JsonMediaType | 'none'>({ max: 64 });
  const mediaTypeFor = (accept: string): JsonMediaType | undefined => {
    let found = mediaTypes.get(accept);
    if (found === undefined) mediaTypes.set(accept, (found = jsonMediaType(accept) ?? 'none'));
    return found === 'none' ? undefined : found;
  };
  const operationIn = (url: URL): RequestedOperation | false => {
    let found = requested.get(url.search);
    if (found === undefined) {
      found = requestedOperation(url.searchParams);
      if (url.search.length <= MAX_CACHED_DOCUMENT_LENGTH) requested.set(url.search, found);
    }
    return found;
  };
  return {
    // Synchronous until a hit is possible: a POST, or any other request, gets no promise here.
    onRequest(payload) {
      const { request, url } = payload;
      if (request.method !== 'GET' || url.pathname !== GRAPHQL_PATH || !CSRF_HEADERS.some((name) => request.headers.has(name))) return;
      const mediaType = mediaTypeFor(request.headers.get('accept') ?? '');
      const operation = mediaType !== undefined && operationIn(url);
      if (operation) return answer(payload, mediaType, operation);
    },
  };
}

/** What a GET's query string asks for, and its cache key without the knowledge base's version. */
interface RequestedOperation {
  readonly name: string | undefined;
  readonly key: string;
}

/** The operation in a GET's parameters; false when the pipeline must answer (no document, a persisted query's extensions, malformed variables). */
function requestedOperation(params: URLSearchParams): RequestedOperation | false {
  const query = params.get('query');
  if (!query || params.has('extensions')) return false;
  let variableValues: Record<string, unknown> | undefined;
  try {
    const variables = params.get('variables');
    variableValues = variables ? JSON.parse(variables) : undefined;
  } catch {
    return false; // Yoga answers malformed variables.
  }
  const name = params.get('operationName') || undefined;
  return { name, key: operationKey({ documentString: query, operationName: name, variableValues }) };
}

const JSON_MEDIA_TYPES = ['application/graphql-response+json', 'application/json'] as const;
type JsonMediaType = (typeof JSON_MEDIA_TYPES)[number];

/**
 * The media type Yoga's result processors answer a single result in, for this
 * Accept header; undefined when they would stream it or refuse it instead.
 * Yoga tries its JSON processor last and keeps its last match, so this is the
 * last JSON type matching the header's types taken in reverse (its rule, in
 * graphql-yoga's use-result-processor.js, which it does not export).
 */
function jsonMediaType(accept: string): JsonMediaType | undefined {
  let chosen: JsonMediaType | undefined;
  const asked = (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',').reverse();
  for (const entry of asked) {
    const [type = '', ...parameters] = entry.split(';');
    if ((parameters.find((parameter) => parameter.includes('charset=')) ?? 'charset=utf-8') !== 'charset=utf-8') continue;
    const [major, minor] = type.split('/');
    for (const candidate of JSON_MEDIA_TYPES) {
      const [candidateMajor, candidateMinor] = candidate.split('/');
      if ((major === '*' || major === candidateMajor) && (minor === '*' || minor === candidateMinor)) chosen = candidate;
    }
  }
  return chosen;
}

/**
 * An LRU of answers bounded by their size, not only their number: the
 * in-memory cache of @envelop/response-cache keeps 1,000 answers whatever
 * their size, and 400 distinct answers of 260 KB held 880 MB of heap (an
 * answer's objects take about eight times its JSON). An answer over an eighth
 * of the budget is not kept, so one cannot push out most of the others. No
 * per-type invalidation index, as in the Redis store below.
 */
function inMemoryCache(maxBytes: number): Cache {
  const answers = new LRUCache<string, NonNullable<CachedResult>>({
    max: 1000,
    maxSize: maxBytes,
    maxEntrySize: Math.ceil(maxBytes / 8),
    // Once per answer kept, on the miss that runs it anyway.
    sizeCalculation: (answer) => JSON.stringify(answer).length || 1,
    ttl: RESPONSE_CACHE_TTL_MS,
  });
  return {
    get: (key) => answers.get(key),
    invalidate: () => {},
    set: (key, answer, _entities, ttl) => {
      answers.set(key, answer, { ttl });
    },
  };
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
function operationKey({ documentString, operationName, variableValues }: OperationParams): string {
  return hash('sha256', [documentString, operationName ?? '', stableStringify(variableValues ?? {})].join('|'));
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
  return digest === null ? 'unseeded' : hash('sha256', digest).slice(0, 16);
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
