import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import {
  countMeasures,
  countMeasuresBy,
  countMeasuresByActorIds,
  findMeasurePagesByActorIds,
  findMeasuresByEventIds,
  findMeasuresByIds,
  findMeasuresPage,
  findRespondingMeasuresByEventIds,
  findResponseLinksByIds,
  findResponseLinksByMeasureIds,
} from '../db/queries/measures.js';
import { type BatchScheduler, bound, countByParent, pageByParent, rowById, rowByKey, rowsByKey } from './batching.js';

/** Which end of a measure an actor is on. */
export type MeasureSide = 'initiator_id' | 'target_id';

export function createMeasureLoaders(db: Kysely<DB>, batches: BatchScheduler) {
  return {
    byId: rowById(batches, (ids) => findMeasuresByIds(db, ids)),
    byEventId: rowByKey(batches, (ids) => findMeasuresByEventIds(db, ids), (row) => row.event_id),
    respondingByEventId: rowsByKey(batches, (ids) => findRespondingMeasuresByEventIds(db, ids), (row) => row.answered_event_id),
    responseLinksByMeasureId: rowsByKey(batches, (ids) => findResponseLinksByMeasureIds(db, ids), (row) => row.measure_id),
    responseLinkById: rowById(batches, (ids) => findResponseLinksByIds(db, ids)),
    pageByActorId: pageByParent(batches, (ids, request, side: MeasureSide) => findMeasurePagesByActorIds(db, side, ids, request)),
    countByActorId: countByParent(batches, (ids, side: MeasureSide) => countMeasuresByActorIds(db, side, ids)),
    page: bound(db, findMeasuresPage),
    count: bound(db, countMeasures),
    countBy: bound(db, countMeasuresBy),
  };
}
