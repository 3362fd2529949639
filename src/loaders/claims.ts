import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import {
  countClaims,
  findClaimsByClaimantIds,
  findClaimsByEventIds,
  findClaimsByIds,
  findClaimsBySlugs,
  findClaimsPage,
  findContradictingClaimsByClaimIds,
  findEventIdsByClaimIds,
} from '../db/queries/claims.js';
import { type BatchScheduler, bound, rowById, rowBySlug, rowsByKey } from './batching.js';

export function createClaimLoaders(db: Kysely<DB>, batches: BatchScheduler) {
  const byId = rowById(batches, (ids) => findClaimsByIds(db, ids));
  return {
    byId,
    bySlug: rowBySlug(batches, (slugs) => findClaimsBySlugs(db, slugs), byId),
    byClaimantId: rowsByKey(batches, (ids) => findClaimsByClaimantIds(db, ids), (row) => row.claimant_id!),
    byEventId: rowsByKey(batches, (ids) => findClaimsByEventIds(db, ids), (row) => row.event_id),
    eventIdsByClaimId: rowsByKey(
      batches,
      (ids) => findEventIdsByClaimIds(db, ids),
      (row) => row.claim_id,
      (row) => row.event_id,
    ),
    contradictingByClaimId: rowsByKey(batches, (ids) => findContradictingClaimsByClaimIds(db, ids), (row) => row.contradicted_claim_id),
    page: bound(db, findClaimsPage),
    count: bound(db, countClaims),
  };
}
