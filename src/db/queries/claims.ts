import { type Kysely, sql } from 'kysely';
import type { ClaimRow, DB } from '../database.js';
import { anyOf, compiledOnce } from './any-of.js';
import { countRows, fetchPage, type PageRequest } from './pagination.js';
import { idOfKey, type RecordKey } from './record-key.js';

export interface ClaimFilter {
  readonly claimantId?: RecordKey | null;
  readonly aboutId?: RecordKey | null;
  /** Only claims that some other claim contradicts (true), or none does (false). */
  readonly contested?: boolean | null;
}

const CLAIM_COLUMNS = ['claim.id', 'claim.slug', 'claim.statement', 'claim.claimant_id', 'claim.note'] as const;

function filteredClaims(db: Kysely<DB>, { claimantId, aboutId, contested }: ClaimFilter) {
  let query = db.selectFrom('claim');
  if (claimantId != null) query = query.where('claim.claimant_id', '=', idOfKey(db, 'actor', claimantId));
  if (aboutId != null) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('claim_subject')
          .select(sql.lit(1).as('one'))
          .whereRef('claim_subject.claim_id', '=', 'claim.id')
          .where('claim_subject.event_id', '=', idOfKey(db, 'event', aboutId)),
      ),
    );
  }
  if (contested != null) {
    query = query.where(({ exists, not, selectFrom }) => {
      const contradicted = exists(
        selectFrom('claim_contradiction').select(sql.lit(1).as('one')).whereRef('claim_contradiction.claim_id', '=', 'claim.id'),
      );
      return contested ? contradicted : not(contradicted);
    });
  }
  return query;
}

export const findClaimsByIds = compiledOnce<number, ClaimRow>((db, ids) => db.selectFrom('claim').select(CLAIM_COLUMNS).where('claim.id', '=', anyOf(ids)));

export const findClaimsBySlugs = compiledOnce<string, ClaimRow>((db, slugs) => db.selectFrom('claim').select(CLAIM_COLUMNS).where('claim.slug', '=', anyOf(slugs)));

/** By id: a claim's list has no other order. */
const CLAIM_SORT_KEYS = ['claim.id'] as const;

export async function findClaimsPage(db: Kysely<DB>, filter: ClaimFilter, request: PageRequest) {
  return fetchPage(filteredClaims(db, filter).select(CLAIM_COLUMNS), CLAIM_SORT_KEYS, 'asc', request);
}

export async function countClaims(db: Kysely<DB>, filter: ClaimFilter): Promise<number> {
  return countRows(filteredClaims(db, filter));
}

export const findClaimsByClaimantIds = compiledOnce<number, ClaimRow>((db, actorIds) => db.selectFrom('claim').select(CLAIM_COLUMNS).where('claim.claimant_id', '=', anyOf(actorIds)).orderBy('claim.id'));

export const findClaimsByEventIds = compiledOnce((db, eventIds: readonly number[]) =>
  db
    .selectFrom('claim_subject')
    .innerJoin('claim', 'claim.id', 'claim_subject.claim_id')
    .select(CLAIM_COLUMNS)
    .select('claim_subject.event_id')
    .where('claim_subject.event_id', '=', anyOf(eventIds))
    .orderBy('claim.id'),
);

export const findEventIdsByClaimIds = compiledOnce((db, claimIds: readonly number[]) =>
  db
    .selectFrom('claim_subject')
    .innerJoin('event', 'event.id', 'claim_subject.event_id')
    .select(['claim_subject.claim_id', 'claim_subject.event_id'])
    .where('claim_subject.claim_id', '=', anyOf(claimIds))
    .orderBy('event.date_earliest')
    .orderBy('event.id'),
);

export const findContradictingClaimsByClaimIds = compiledOnce((db, claimIds: readonly number[]) =>
  db
    .selectFrom('claim_contradiction')
    .innerJoin('claim', 'claim.id', 'claim_contradiction.contradicting_claim_id')
    .select(CLAIM_COLUMNS)
    .select('claim_contradiction.claim_id as contradicted_claim_id')
    .where('claim_contradiction.claim_id', '=', anyOf(claimIds))
    .orderBy('claim.id'),
);
