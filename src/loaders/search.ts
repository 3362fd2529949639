import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import { countSearchHits, searchPage } from '../db/queries/search.js';
import { bound } from './batching.js';

export function createSearchLoaders(db: Kysely<DB>) {
  return { page: bound(db, searchPage), count: bound(db, countSearchHits) };
}
