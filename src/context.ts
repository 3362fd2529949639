import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from './db/database.js';
import { createActorLoaders } from './schema/actor.js';
import { createCitationLoaders } from './schema/citation.js';
import { createClaimLoaders } from './schema/claim.js';
import { createEventLoaders } from './schema/event.js';
import { createMeasureLoaders } from './schema/measure.js';
import { BatchScheduler } from './schema/loaders.js';
import { createSourceLoaders } from './schema/source.js';

export type Loaders = ReturnType<typeof createLoaders>;

export interface Context {
  readonly db: Kysely<DB>;
  /** Fresh for every request: nothing cached outlives it. */
  readonly loaders: Loaders;
  readonly logger: Logger;
}

function createLoaders(db: Kysely<DB>) {
  const batches = new BatchScheduler();
  return {
    ...createEventLoaders(db, batches),
    ...createActorLoaders(db, batches),
    ...createMeasureLoaders(db, batches),
    ...createClaimLoaders(db, batches),
    ...createSourceLoaders(db, batches),
    ...createCitationLoaders(db, batches),
  };
}

/** Called once per request. */
export function createContext(db: Kysely<DB>, logger: Logger): Context {
  return { db, loaders: createLoaders(db), logger };
}
