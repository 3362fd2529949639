import { createHash } from 'node:crypto';
import { type APQStore, createInMemoryAPQStore, useAPQ } from '@graphql-yoga/plugin-apq';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { type DefinitionNode, type DocumentNode, Kind, parse, print, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { MAX_CACHED_DOCUMENT_LENGTH } from '../limits.js';

/** How long an automatically persisted query stays in Redis without being used. */
const APQ_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The persisted-operations manifest: one entry per named operation of a
 * document (with the fragments it uses), keyed by the SHA-256 of its printed
 * text, which is what Apollo's and codegen's persisted-query clients send.
 */
export function persistedOperationsManifest(source: string): Record<string, string> {
  const document = parse(source);
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const manifest: Record<string, string> = {};
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const used = new Map<string, DefinitionNode>();
    const collect = (node: DefinitionNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment !== undefined && !used.has(spread.name.value)) {
            used.set(spread.name.value, fragment);
            collect(fragment);
          }
        },
      });
    collect(definition);
    const text = print({ kind: Kind.DOCUMENT, definitions: [definition, ...used.values()] } satisfies DocumentNode);
    manifest[sha256(text)] = text;
  }
  return manifest;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface PersistedOperationsOptions {
  /** The operations shipped with the server, by hash. */
  readonly manifest: Readonly<Record<string, string>>;
  /** Allow-list mode: nothing but the manifest runs, by hash; full documents are refused. */
  readonly only: boolean;
  /** Where automatically persisted queries are kept; null keeps them in this process (an LRU). */
  readonly redis: Redis | null;
}

/**
 * Automatic persisted queries (a client sends a hash, and the text only when
 * the server asks for it), with the manifest's operations known from the
 * start; or, in allow-list mode, only the manifest.
 */
export function usePersistedQueries({ manifest, only, redis }: PersistedOperationsOptions): Plugin {
  if (only) {
    return usePersistedOperations({
      getPersistedOperation: (hash) => manifest[hash] ?? null,
      allowArbitraryOperations: false,
    });
  }
  const store = redis === null ? createInMemoryAPQStore({ max: 1000 }) : redisStore(redis);
  const apq = useAPQ({
    store: {
      get: (hash) => manifest[hash] ?? store.get(hash),
      // Whitespace and comments cost no tokens, so a document may be as long as the body limit:
      // 150 registrations of 900 KB held 97 MB more heap. One longer than the parser cache keeps
      // runs, but its client sends the text every time.
      set: (hash, query) => (query.length <= MAX_CACHED_DOCUMENT_LENGTH ? store.set(hash, query) : undefined),
    },
  });
  return {
    // useAPQ's onParams is an async function: its promise, returned for every request, makes
    // the rest of Yoga's pipeline wait on promises where it would run straight through.
    onParams: (payload) => (payload.params.extensions?.persistedQuery === undefined ? undefined : apq.onParams!(payload)),
  };
}

/** With Redis down, a hash is unknown (the client then sends the text) and nothing is stored: degraded, not failed. */
function redisStore(redis: Redis): APQStore {
  return {
    get: (hash: string) => redis.get(`apq:${hash}`).catch(() => null),
    set: async (hash: string, query: string) => {
      await redis.set(`apq:${hash}`, query, 'EX', APQ_TTL_SECONDS).catch(() => undefined);
    },
  };
}
