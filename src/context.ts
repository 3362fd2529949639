import type { Kysely } from 'kysely';
import type { DB } from './db/database.js';
import { createLoaders, type Loaders } from './loaders/index.js';

export type { Loaders };

export interface Context {
  /** Fresh for every request: nothing cached outlives it. Resolvers reach the database only through these. */
  readonly loaders: Loaders;
}

/** Called once per request. */
export function createContext(db: Kysely<DB>): Context {
  return { loaders: createLoaders(db) };
}
