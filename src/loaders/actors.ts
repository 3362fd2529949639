import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import {
  countActors,
  findActorsByIds,
  findActorsBySlugs,
  findActorsPage,
  findAffiliationsByMemberIds,
  findAffiliationsByOrganizationIds,
  findAliasesByActorIds,
} from '../db/queries/actors.js';
import { type BatchScheduler, bound, rowById, rowBySlug, rowsByKey } from './batching.js';

export function createActorLoaders(db: Kysely<DB>, batches: BatchScheduler) {
  const byId = rowById(batches, (ids) => findActorsByIds(db, ids));
  return {
    byId,
    bySlug: rowBySlug(batches, (slugs) => findActorsBySlugs(db, slugs), byId),
    aliasesByActorId: rowsByKey(
      batches,
      (ids) => findAliasesByActorIds(db, ids),
      (row) => row.actor_id,
      (row) => row.alias,
    ),
    affiliationsByMemberId: rowsByKey(batches, (ids) => findAffiliationsByMemberIds(db, ids), (row) => row.member_id),
    affiliationsByOrganizationId: rowsByKey(batches, (ids) => findAffiliationsByOrganizationIds(db, ids), (row) => row.organization_id),
    page: bound(db, findActorsPage),
    count: bound(db, countActors),
  };
}
