import { type Kysely, sql } from 'kysely';
import type { ActorRow, AffiliationRow, DB } from '../database.js';
import { anyOf, compiledOnce } from './any-of.js';
import { countRows, fetchPage, type PageRequest } from './pagination.js';
import { idOfKey, type RecordKey } from './record-key.js';

export interface ActorFilter {
  readonly kinds?: readonly string[] | null;
  readonly countryId?: RecordKey | null;
  /** Part of the name or of any alias, ignoring case. */
  readonly name?: string | null;
}

const ACTOR_COLUMNS = ['actor.id', 'actor.slug', 'actor.name', 'actor.kind', 'actor.description', 'actor.country_id'] as const;
// Named, not `selectAll()`: a prepared statement's columns must not change under it when a migration adds one.
const AFFILIATION_COLUMNS = ['affiliation.member_id', 'affiliation.organization_id', 'affiliation.role'] as const;
export const ACTOR_SORT_KEYS = ['actor.name', 'actor.id'] as const;

function filteredActors(db: Kysely<DB>, { kinds, countryId, name }: ActorFilter) {
  let query = db.selectFrom('actor');
  if (kinds != null && kinds.length > 0) query = query.where('actor.kind', '=', anyOf(kinds));
  if (countryId != null) query = query.where('actor.country_id', '=', idOfKey(db, 'actor', countryId));
  if (name != null && name.trim() !== '') {
    const pattern = `%${escapeLike(name.trim().toLowerCase())}%`;
    query = query.where(({ or, exists, selectFrom, eb }) =>
      or([
        eb(sql`lower(actor.name)`, 'like', pattern),
        exists(
          selectFrom('actor_alias')
            .select(sql.lit(1).as('one'))
            .whereRef('actor_alias.actor_id', '=', 'actor.id')
            .where(sql`lower(actor_alias.alias)`, 'like', pattern),
        ),
      ]),
    );
  }
  return query;
}

export const findActorsByIds = compiledOnce<number, ActorRow>((db, ids) => db.selectFrom('actor').select(ACTOR_COLUMNS).where('actor.id', '=', anyOf(ids)));

export const findActorsBySlugs = compiledOnce<string, ActorRow>((db, slugs) => db.selectFrom('actor').select(ACTOR_COLUMNS).where('actor.slug', '=', anyOf(slugs)));

export async function findActorsPage(db: Kysely<DB>, filter: ActorFilter, request: PageRequest) {
  return fetchPage(filteredActors(db, filter).select(ACTOR_COLUMNS), ACTOR_SORT_KEYS, 'asc', request);
}

export async function countActors(db: Kysely<DB>, filter: ActorFilter): Promise<number> {
  return countRows(filteredActors(db, filter));
}

export const findAliasesByActorIds = compiledOnce((db, actorIds: readonly number[]) => db.selectFrom('actor_alias').select(['actor_id', 'alias']).where('actor_id', '=', anyOf(actorIds)).orderBy('actor_id').orderBy('position'));

export const findAffiliationsByMemberIds = compiledOnce<number, AffiliationRow>((db, memberIds) => db.selectFrom('affiliation').select(AFFILIATION_COLUMNS).where('member_id', '=', anyOf(memberIds)).orderBy('organization_id'));

export const findAffiliationsByOrganizationIds = compiledOnce<number, AffiliationRow>((db, organizationIds) => db.selectFrom('affiliation').select(AFFILIATION_COLUMNS).where('organization_id', '=', anyOf(organizationIds)).orderBy('member_id'));

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
