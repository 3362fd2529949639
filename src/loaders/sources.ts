import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import {
  countCitationsBySourceIds,
  countSources,
  findCitationPagesBySourceIds,
  findCitedSourcesBySourceIds,
  findSourcesByIds,
  findSourcesBySlugs,
  findSourcesPage,
  findSourceTextsByIds,
} from '../db/queries/sources.js';
import { type BatchScheduler, bound, countByParent, pageByParent, rowById, rowByKey, rowBySlug, rowsByKey } from './batching.js';

export function createSourceLoaders(db: Kysely<DB>, batches: BatchScheduler) {
  const byId = rowById(batches, (ids) => findSourcesByIds(db, ids));
  return {
    byId,
    bySlug: rowBySlug(batches, (slugs) => findSourcesBySlugs(db, slugs), byId),
    textById: rowByKey(batches, (ids) => findSourceTextsByIds(db, ids), (row) => row.id),
    citedBySourceId: rowsByKey(batches, (ids) => findCitedSourcesBySourceIds(db, ids), (row) => row.citing_source_id),
    citationPageBySourceId: pageByParent(batches, (ids, request) => findCitationPagesBySourceIds(db, ids, request)),
    citationCountBySourceId: countByParent(batches, (ids) => countCitationsBySourceIds(db, ids)),
    page: bound(db, findSourcesPage),
    count: bound(db, countSources),
  };
}
