import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import {
  countEvents,
  countEventsBy,
  countEventsByActorIds,
  findEventPagesByActorIds,
  findEventsByIds,
  findEventsBySlugs,
  findEventsPage,
  findParticipantsByEventIds,
  findPlacesByIds,
} from '../db/queries/events.js';
import { type BatchScheduler, bound, countByParent, pageByParent, rowById, rowBySlug, rowsByKey } from './batching.js';

export function createEventLoaders(db: Kysely<DB>, batches: BatchScheduler) {
  const byId = rowById(batches, (ids) => findEventsByIds(db, ids));
  return {
    byId,
    bySlug: rowBySlug(batches, (slugs) => findEventsBySlugs(db, slugs), byId),
    participantsByEventId: rowsByKey(batches, (ids) => findParticipantsByEventIds(db, ids), (row) => row.event_id),
    placeById: rowById(batches, (ids) => findPlacesByIds(db, ids)),
    pageByActorId: pageByParent(batches, (ids, request, role: string | null) => findEventPagesByActorIds(db, ids, role, request)),
    countByActorId: countByParent(batches, (ids, role: string | null) => countEventsByActorIds(db, ids, role)),
    page: bound(db, findEventsPage),
    count: bound(db, countEvents),
    countBy: bound(db, countEventsBy),
  };
}
