import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../database.js';
import { countRows, fetchPage, type PageRequest } from './pagination.js';

export interface SearchHit {
  readonly typename: 'Event' | 'Actor' | 'RetaliatoryMeasure' | 'Source' | 'Claim';
  readonly id: number;
  /** Minus the rank, so one ascending keyset orders best first. */
  readonly sort_rank: number;
}

/** How close a misspelt name must come (pg_trgm word similarity, 0–1) to count as a match. */
const NAME_SIMILARITY = 0.45;
/** A passage quoted in support of a record counts less than the record's own words. */
const QUOTE_WEIGHT = 0.5;
/** A measure shares its event's words; it ranks just below its event. */
const MEASURE_WEIGHT = 0.9;

/**
 * Every record matching `text`, ranked as one list: full-text rank over the
 * weighted documents (names and titles over summaries over quotes), and for
 * actors the best trigram similarity of their name or any alias, so 'Kartavyh'
 * finds Kartavykh. Ranks are `real`, so a cursor's rank compares exactly.
 */
function searchHits(text: string) {
  const query = sql`websearch_to_tsquery('english', ${text})`;
  const term = sql`lower(${text})`;
  // A record's rank: its own words' rank plus its best supporting quote's, each
  // found through its own GIN index (an OR across the two would scan every row).
  const ranked = (typename: string, own: RawBuilder<unknown>, subjectColumn: string, weight = 1) => sql`
    select ${sql.lit(typename)} as typename, id, (-${sql.lit(weight)} * (coalesce(max(own), 0) + ${sql.lit(QUOTE_WEIGHT)} * coalesce(max(quoted), 0)))::real as sort_rank
    from (
      ${own}
      union all
      select ${sql.ref(subjectColumn)}, null, ts_rank(citation.search, ${query})
      from citation where citation.search @@ ${query} and ${sql.ref(subjectColumn)} is not null
    ) as matches(id, own, quoted)
    group by id`;
  return sql<SearchHit>`(
    ${ranked('Event', sql`select event.id, ts_rank(event.search, ${query}), null::real from event where event.search @@ ${query}`, 'subject_event_id')}
    union all
    ${ranked(
      'RetaliatoryMeasure',
      sql`select measure.id, ts_rank(event.search, ${query}), null::real from measure join event on event.id = measure.event_id where event.search @@ ${query}`,
      'subject_measure_id',
      MEASURE_WEIGHT,
    )}
    union all
    ${ranked('Claim', sql`select claim.id, ts_rank(claim.search, ${query}), null::real from claim where claim.search @@ ${query}`, 'subject_claim_id')}
    union all
    select 'Source', source.id, (-ts_rank(source.search, ${query}))::real
    from source
    where source.search @@ ${query}
    union all
    select 'Actor', actor.id, (-names.similarity)::real
    from actor
    cross join lateral (
      select max(word_similarity(${term}, lower(name))) as similarity
      from (select actor.name union all select alias from actor_alias where actor_alias.actor_id = actor.id) as all_names(name)
    ) as names
    where names.similarity >= ${sql.lit(NAME_SIMILARITY)}
  )`;
}

/** Best first; ties in a stable order. */
export const SEARCH_SORT_KEYS = ['hit.sort_rank', 'hit.typename', 'hit.id'] as const;

export async function searchPage(db: Kysely<DB>, text: string, request: PageRequest) {
  const hits = db.selectFrom(searchHits(text).as('hit')).select(['hit.typename', 'hit.id', 'hit.sort_rank']);
  return fetchPage(hits, SEARCH_SORT_KEYS, 'asc', request);
}

export async function countSearchHits(db: Kysely<DB>, text: string): Promise<number> {
  return countRows(db.selectFrom(searchHits(text).as('hit')));
}
