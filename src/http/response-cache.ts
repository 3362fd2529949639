import { AsyncLocalStorage } from 'node:async_hooks';
import { hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { BuildResponseCacheKeyFunction } from '@envelop/response-cache';
import { createRedisCache } from '@envelop/response-cache-redis';
import stableStringify from 'fast-json-stable-stringify';
import { type Cache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { DB } from '../db/database.js';
import { CSRF_HEADERS } from '../browser-safety.js';
import { findSeedDigest } from '../db/queries/seed-state.js';
import { MAX_CACHED_DOCUMENT_LENGTH } from '../limits.js';
import { API_KEY_HEADER, type RateLimitClient } from '../rate-limit.js';
import { contentEncoding, type Encoding } from './compression.js';
import { type EarlyAnswer, encodedOnce, headerOf, VARY } from './early-answers.js';
import { GRAPHQL_PATH } from './request-record.js';

/** What an answer is cached by, besides the knowledge base's version. */
type OperationParams = Pick<Parameters<BuildResponseCacheKeyFunction>[0], 'documentString' | 'operationName' | 'variableValues'>;

/**
 * The keys a request has looked up and missed. A GET's answer is looked up in
 * the first hook, again by Yoga's response cache before parsing and once more
 * by Envelop's before executing: with Redis, three round trips for one miss.
 */
const missedThisRequest = new AsyncLocalStorage<Set<string>>();
/** The key a request missed before Yoga saw it (earlyAnswers), for its record of misses there. */
const missedEarly = new WeakMap<IncomingMessage, Set<string>>();

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
  /** Charges a request answered from the cache ahead of Yoga: the RateLimit headers to send, or null if over its budget (the rate limiter's `admit`). */
  readonly admit?: (client: RateLimitClient) => Promise<Readonly<Record<string, string>> | null>;
  /** Allow-list mode: a document sent in full must be refused, even one whose answer is cached. */
  readonly persistedOperationsOnly?: boolean;
}

/**
 * Caches GET queries (the requests a CDN can cache too): each answer gets an
 * `ETag`, `If-None-Match` with it answers 304 (see `notModified`), and
 * `Cache-Control` lets a CDN keep it. Keys carry the digest of the seeds the
 * database was loaded from, so reseeding (even by another process) retires
 * every cached answer and ETag.
 */
export function useHttpResponseCache({ db, redis, maxBytes, versionMaxAgeMs = 1000, admit = async () => ({}), persistedOperationsOnly = false }: ResponseCacheOptions): {
  readonly plugins: Plugin[];
  /** The answer to a GET, from the cache, before Yoga sees it; null for Yoga to answer (see earlyAnswers). */
  readonly cachedAnswer: (request: IncomingMessage) => Promise<EarlyAnswer | null> | null;
} {
  // Hashed, not cut short: a generated knowledge base's digest (`generated:events=…:seed=…`) is no hash.
  const dataVersion = memoized(async () => versionOf(await findSeedDigest(db)), versionMaxAgeMs);
  const store = redis === null ? inMemoryCache(maxBytes) : redisCacheWithoutEntityIndex(redis);
  // An ETag from before a reseed names an answer that is no longer true.
  const lookUp = async (key: string) => (key.startsWith(`"${await dataVersion()}-`) ? serializedOnce(await store.get(key)) : undefined);
  const cache: Cache = {
    ...store,
    async get(key) {
      const missed = missedThisRequest.getStore();
      if (missed?.has(key)) return undefined;
      const found = await lookUp(key);
      if (found == null) missed?.add(key);
      return found;
    },
  };
  const versionedKey = async (key: string) => `"${await dataVersion()}-${key}"`;
  /** Each request's If-None-Match, taken from it before Yoga's response cache reads it. */
  const conditions = new WeakMap<Request, string>();
  /** What is cached, looked up and answered 304: a GET; a POST is always executed. */
  const cacheable = (request: Request) => request.method === 'GET';
  const plugins: Plugin[] = [
    {
      // First, so every lookup of this request shares one record of misses.
      onRequest({ request, serverContext }) {
        if (!cacheable(request)) return;
        const incoming = (serverContext as { req?: IncomingMessage } | undefined)?.req;
        missedThisRequest.enterWith((incoming && missedEarly.get(incoming)) ?? new Set());
        // Yoga's response cache answers 304 when the header's whole text is the key of any
        // cached answer, whatever the request asks for: another query's tag got a 304, and
        // a list of tags or a tag made weak by a proxy (nginx does so when it compresses)
        // never did. The condition is decided in onResultProcess instead, on this answer's tag.
        const condition = request.headers.get('if-none-match');
        if (condition !== null) {
          conditions.set(request, condition);
          request.headers.delete('if-none-match');
        }
      },
    },
    useResponseCache({
      session: () => null,
      cache,
      ttl: RESPONSE_CACHE_TTL_MS,
      enabled: cacheable,
      // Quoted, because the key is also the ETag, and an HTTP entity tag is a quoted string.
      // Yoga builds a key for every request before it asks `enabled`: a POST, never cached,
      // skips the SHA-256 (about 4% of the CPU of a cheap request), and gets its key at once,
      // not in a promise Yoga would wait on before parsing.
      buildResponseCacheKey: (params) => (cacheable(params.request) ? versionedKey(operationKey(params)) : 'uncached'),
      shouldCacheResult: ({ result }) => {
        if (result.errors?.length) return false;
        const http = ((result.extensions ??= {}).http ??= {}) as { headers?: Record<string, string> };
        (http.headers ??= {})['Cache-Control'] = CACHE_CONTROL;
        return true;
      },
    }),
    {
      // After Yoga's own hook, which chose the processor for the Accept header: none (a 406) is left alone.
      onResultProcess({ request, result, resultProcessor, setResultProcessor }) {
        const condition = conditions.get(request);
        if (condition === undefined || resultProcessor === undefined) return;
        const cached = result !== undefined && !Array.isArray(result) && !(Symbol.asyncIterator in result) ? cachedHeadersOf(result) : undefined;
        if (cached === undefined || !notModified(condition, cached.ETag)) return;
        // A copy: the Response's Headers write through to an object they are given, and later hooks set theirs.
        setResultProcessor((_result, fetchAPI) => new fetchAPI.Response(null, { status: 304, headers: { ...cached } }), 'application/json');
      },
      onResponse({ request, response }) {
        // Appended: CORS varies by Origin too.
        if (cacheable(request)) response.headers.append('vary', VARY);
      },
    },
  ];
  // Allow-list mode: a document sent in full must be refused, even one whose answer is cached.
  return { plugins, cachedAnswer: persistedOperationsOnly ? () => null : earlyAnswers(lookUp, versionedKey, admit) };
}

/**
 * A GET's answer from the cache, for src/server.ts to write before Yoga's Fetch
 * adapter builds a Request and then a Response and runs every plugin's hooks
 * for them. A hit of a page of 20 events cost 69–86 µs of CPU through Yoga's
 * first hook (27–32 µs for Yoga answering a constant there, 17–20 µs for bare
 * node:http) and costs 42–44 µs here, gzipped or not: through Yoga a gzipped
 * hit was compressed again each time, 250–410 µs (bench/RESULTS.md). No
 * maintained piece answers from a GraphQL response cache ahead of the server
 * adapter; a CDN in front does, given our ETag and Cache-Control.
 *
 * Only what Yoga would answer with the same cached result and the same headers
 * is answered: a GET to /graphql with a CSRF header, the document in the URL
 * (not a persisted query's hash), an Accept that Yoga answers with JSON, within
 * the client's rate limit; 304 when its If-None-Match names the answer's tag.
 * Anything else, and every miss, returns null, often synchronously, for Yoga to answer.
 */
function earlyAnswers(
  // The store itself, not the record of misses: that is Yoga's request's, entered in its first hook.
  lookUp: (key: string) => Promise<CachedResult>,
  versionedKey: (operationKey: string) => Promise<string>,
  admit: (client: RateLimitClient) => Promise<Readonly<Record<string, string>> | null>,
): (request: IncomingMessage) => Promise<EarlyAnswer | null> | null {
  const answer = async (request: IncomingMessage, mediaType: JsonMediaType, encoding: Encoding, operation: RequestedOperation): Promise<EarlyAnswer | null> => {
    const key = await versionedKey(operation.key);
    const hit = await lookUp(key);
    if (hit == null) {
      missedEarly.set(request, new Set([key]));
      return null;
    }
    const budget = await admit({ apiKey: headerOf(request, API_KEY_HEADER), address: request.socket.remoteAddress });
    if (budget === null) return null;
    const cached = cachedHeadersOf(hit);
    const condition = headerOf(request, 'if-none-match');
    if (cached !== undefined && condition !== undefined && notModified(condition, cached.ETag)) {
      return { operationName: operation.name, status: 304, headers: { ...cached, ...budget }, body: NO_BODY };
    }
    const headers: Record<string, string> = { 'Content-Type': `${mediaType}; charset=utf-8`, ...cached };
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    return { operationName: operation.name, status: 200, headers: Object.assign(headers, budget), body: await encodedOnce(hit, encoding, () => answerJson(hit)) };
  };
  // Decoding the query string, hashing what it asks for and matching the Accept and Accept-Encoding
  // headers depend on their text alone, so the outcomes are kept by it, as Yoga keeps parsed
  // documents and under the same bound on length; no expiry, as the text decides. A hit's CPU in
  // alternating runs (bench/RESULTS.md): first page 28–31 µs, against 34–37 without; ten node
  // lookups, a 1.2 KB query string, 33–36 µs against 42–46.
  const requested = new LRUCache<string, RequestedOperation | false>({ max: 256 });
  const mediaTypes = new LRUCache<string, JsonMediaType | 'none'>({ max: 64 });
  const encodings = new LRUCache<string, Encoding | 'none'>({ max: 64 });
  const memo = <T extends string>(cached: LRUCache<string, T | 'none'>, decide: (text: string) => T | undefined) => (text: string): T | undefined => {
    let found = cached.get(text);
    if (found === undefined) cached.set(text, (found = decide(text) ?? 'none'));
    return found === 'none' ? undefined : found;
  };
  const mediaTypeFor = memo(mediaTypes, jsonMediaType);
  const encodingFor = memo(encodings, contentEncoding);
  const operationIn = (search: string): RequestedOperation | false => {
    let found = requested.get(search);
    if (found === undefined) {
      found = requestedOperation(new URLSearchParams(search));
      if (search.length <= MAX_CACHED_DOCUMENT_LENGTH) requested.set(search, found);
    }
    return found;
  };
  return (request) => {
    const { method, url = '', headers } = request;
    const queryAt = url.indexOf('?');
    if (method !== 'GET' || queryAt < 0 || url.slice(0, queryAt) !== GRAPHQL_PATH) return null;
    if (!CSRF_HEADERS.some((name) => headers[name] !== undefined)) return null;
    const mediaType = mediaTypeFor(headers.accept ?? '');
    const encoding = encodingFor(headers['accept-encoding'] ?? '');
    if (mediaType === undefined || encoding === undefined) return null;
    const operation = operationIn(url.slice(queryAt));
    return operation ? answer(request, mediaType, encoding, operation) : null;
  };
}

const NO_BODY = Buffer.alloc(0);

/** What a cached answer is sent with (its validators and Cache-Control), a 304 too (RFC 9110 §15.4.5); undefined for an answer not cached. */
type CachedHeaders = Readonly<Record<string, string>> & { readonly ETag: string };

function cachedHeadersOf(result: { extensions?: { http?: { headers?: Record<string, string> } } }): CachedHeaders | undefined {
  const headers = result.extensions?.http?.headers;
  return headers?.ETag === undefined ? undefined : (headers as CachedHeaders);
}

/**
 * Whether a GET's `If-None-Match` names the current answer's tag, so it is answered 304
 * (RFC 9110 §13.1.2): `*`, or any tag of the list by the weak comparison, under which
 * `W/"x"` and `"x"` match.
 */
function notModified(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  const current = opaque(etag);
  for (const [tag] of ifNoneMatch.matchAll(ENTITY_TAGS)) if (opaque(tag) === current) return true;
  return false;
}

const ENTITY_TAGS = /(?:W\/)?"[^"]*"/g;

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
type CachedEntry = NonNullable<CachedResult>;
const serializations = new WeakMap<CachedEntry, string>();

/**
 * A cached result's JSON as Yoga writes it: `extensions.http` (the headers it
 * carries) left out, and no errors, as answers with errors are not cached.
 * Yoga turns a cached result into JSON again on every hit (13% of a hit's CPU
 * for a page of 20 events), but an in-memory entry is the same object every
 * time, so its JSON is kept with it.
 */
function answerJson(entry: CachedEntry): string {
  let json = serializations.get(entry);
  if (json === undefined) {
    const { http: _http, ...extensions } = entry.extensions ?? {};
    serializations.set(entry, (json = JSON.stringify({ ...entry, extensions: Object.keys(extensions).length > 0 ? extensions : undefined })));
  }
  return json;
}

/** Through the `stringify` Yoga's result processor calls when a result brings one (graphql-jit's results do). */
function serializedOnce(result: CachedResult): CachedResult {
  return result == null ? result : Object.assign(result, { stringify: () => answerJson(result) });
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
