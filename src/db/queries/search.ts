import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
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
 * Names match through `<%` on each table, which their trigram indexes serve
 * (a similarity computed first and filtered after reads every actor); the
 * threshold it compares with is set by `withNameSimilarity`.
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
    select 'Actor', id, (-max(similarity))::real
    from (
      select actor.id, word_similarity(${term}, lower(actor.name)) from actor where ${term} <% lower(actor.name)
      union all
      select actor_alias.actor_id, word_similarity(${term}, lower(actor_alias.alias)) from actor_alias where ${term} <% lower(actor_alias.alias)
    ) as names(id, similarity)
    group by id
  )`;
}

/** Best first; ties in a stable order. */
export const SEARCH_SORT_KEYS = ['hit.sort_rank', 'hit.typename', 'hit.id'] as const;

/**
 * The `<%` operator reads its threshold from a setting: set for this
 * transaction only, so no other statement on the connection sees it. Parallel
 * workers are turned off with it: the union of small index scans is planned
 * as a parallel append whose workers took longer to start (16 ms on a busy
 * machine) than the whole search takes without them.
 */
async function withNameSimilarity<T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(NAME_SIMILARITY)}, true),
      set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
    return work(trx);
  });
}

/**
 * A page of hits, each carrying how many hits there are in all: the hits are
 * ranked as a whole anyway, so counting them in the same statement costs
 * nothing, where a second statement would search everything again.
 */
export async function searchPage(db: Kysely<DB>, text: string, request: PageRequest) {
  return withNameSimilarity(db, (trx) => {
    const hits = trx
      .with('hit', () => searchHits(text) as unknown as SelectQueryBuilder<DB, never, SearchHit>)
      .selectFrom('hit')
      .select(['hit.typename', 'hit.id', 'hit.sort_rank', (eb) => eb.selectFrom('hit').select(eb.fn.countAll<number>().as('n')).as('total_count')]);
    // Type escape: the CTE is raw SQL whose columns SearchHit names.
    return fetchPage(hits as unknown as SelectQueryBuilder<any, any, SearchHit & { total_count: number }>, SEARCH_SORT_KEYS, 'asc', request);
  });
}

/** How many hits a search has; the page's own count where it has rows. */
export async function countSearchHits(db: Kysely<DB>, text: string): Promise<number> {
  return withNameSimilarity(db, async (trx) => countRows(trx.selectFrom(searchHits(text).as('hit'))));
}
