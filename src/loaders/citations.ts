import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import { type CitationSubjectColumn, findCitationsBySubjectIds } from '../db/queries/sources.js';
import { type BatchScheduler, rowsByKey } from './batching.js';

const citationsBySubject = (db: Kysely<DB>, batches: BatchScheduler, column: CitationSubjectColumn) =>
  rowsByKey(batches, (ids) => findCitationsBySubjectIds(db, column, ids), (row) => row[column]!);

/** The passages supporting each kind of record. */
export function createCitationLoaders(db: Kysely<DB>, batches: BatchScheduler) {
  return {
    bySourceId: citationsBySubject(db, batches, 'subject_source_id'),
    byActorId: citationsBySubject(db, batches, 'subject_actor_id'),
    byEventId: citationsBySubject(db, batches, 'subject_event_id'),
    byMeasureId: citationsBySubject(db, batches, 'subject_measure_id'),
    byClaimId: citationsBySubject(db, batches, 'subject_claim_id'),
    byResponseLinkId: citationsBySubject(db, batches, 'subject_response_id'),
  };
}
