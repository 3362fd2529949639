import { type Kysely, sql } from 'kysely';
import type { DB } from '../database.js';
import { fetchPage, type PageRequest } from './pagination.js';

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
  const quoteRank = (column: string, id: string) =>
    sql`coalesce((select max(ts_rank(citation.search, ${query})) from citation
      where citation.${sql.ref(column)} = ${sql.ref(id)} and citation.search @@ ${query}), 0)`;
  return sql<SearchHit>`(
    select 'Event' as typename, event.id, (-(ts_rank(event.search, ${query}) + ${sql.lit(QUOTE_WEIGHT)} * ${quoteRank('subject_event_id', 'event.id')}))::real as sort_rank
    from event
    where event.search @@ ${query}
       or exists (select 1 from citation where citation.subject_event_id = event.id and citation.search @@ ${query})
    union all
    select 'RetaliatoryMeasure', measure.id, (-${sql.lit(MEASURE_WEIGHT)} * (ts_rank(event.search, ${query}) + ${sql.lit(QUOTE_WEIGHT)} * ${quoteRank('subject_measure_id', 'measure.id')}))::real
    from measure join event on event.id = measure.event_id
    where event.search @@ ${query}
       or exists (select 1 from citation where citation.subject_measure_id = measure.id and citation.search @@ ${query})
    union all
    select 'Claim', claim.id, (-(ts_rank(claim.search, ${query}) + ${sql.lit(QUOTE_WEIGHT)} * ${quoteRank('subject_claim_id', 'claim.id')}))::real
    from claim
    where claim.search @@ ${query}
       or exists (select 1 from citation where citation.subject_claim_id = claim.id and citation.search @@ ${query})
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

export async function searchPage(db: Kysely<DB>, text: string, request: PageRequest) {
  const hits = db.selectFrom(searchHits(text).as('hit')).select(['hit.typename', 'hit.id', 'hit.sort_rank']);
  return fetchPage(hits, ['hit.sort_rank', 'hit.typename', 'hit.id'], 'asc', request);
}

export async function countSearchHits(db: Kysely<DB>, text: string): Promise<number> {
  const row = await db
    .selectFrom(searchHits(text).as('hit'))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}
