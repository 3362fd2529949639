import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import { createActorLoaders } from './actors.js';
import { BatchScheduler } from './batching.js';
import { createCitationLoaders } from './citations.js';
import { createClaimLoaders } from './claims.js';
import { createEventLoaders } from './events.js';
import { createMeasureLoaders } from './measures.js';
import { createSearchLoaders } from './search.js';
import { createSourceLoaders } from './sources.js';

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Every way a resolver reaches the database, one namespace per domain
 * (`loaders.events.byId`), so two domains cannot shadow each other's names.
 * Built fresh for every request: nothing cached outlives it.
 */
export function createLoaders(db: Kysely<DB>) {
  const batches = new BatchScheduler();
  return {
    events: createEventLoaders(db, batches),
    actors: createActorLoaders(db, batches),
    measures: createMeasureLoaders(db, batches),
    claims: createClaimLoaders(db, batches),
    sources: createSourceLoaders(db, batches),
    citations: createCitationLoaders(db, batches),
    search: createSearchLoaders(db),
  };
}
