import { type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Attestation } from '../../domain.js';
import type { ActorRow, DB, EventRow, ParticipantRow, PlaceRow } from '../database.js';
import { anyOf, compiledOnce } from './any-of.js';
import { countRows, fetchPage, fetchPagesByParent, type PageRequest, type SortDirection } from './pagination.js';
import { idOfKey, type RecordKey } from './record-key.js';

export interface EventFilter {
  /** Events whose fuzzy date can fall on or after this day. */
  readonly from?: string | null;
  /** Events whose fuzzy date can fall on or before this day. */
  readonly to?: string | null;
  readonly categories?: readonly string[] | null;
  /** Only events dated this precisely. */
  readonly precisions?: readonly string[] | null;
  readonly actorId?: RecordKey | null;
  readonly role?: string | null;
  readonly isMeasure?: boolean | null;
  readonly sourceId?: RecordKey | null;
  readonly text?: string | null;
  /** Only events the sources vouch for this far. */
  readonly attestations?: readonly string[] | null;
}

export type EventOrderField = 'DATE' | 'TITLE';
export type EventGrouping = 'MONTH' | 'CATEGORY' | 'ACTOR';

const EVENT_COLUMNS = [
  'event.id',
  'event.slug',
  'event.title',
  'event.summary',
  'event.category',
  'event.date_earliest',
  'event.date_latest',
  'event.date_precision',
  'event.place_id',
  'event.fatalities',
  'event.injured',
  'event.note',
  'event.attestation',
] as const;

/** Sort keys per order, each ending in the unique id so every row has one position. */
export const EVENT_SORT_KEYS: Record<EventOrderField, readonly string[]> = {
  DATE: ['event.date_earliest', 'event.date_latest', 'event.id'],
  TITLE: ['event.title', 'event.id'],
};

/** The one place event filters become SQL: lists, counts and aggregates all start here. */
export function filteredEvents(db: Kysely<DB>, filter: EventFilter = {}): SelectQueryBuilder<DB, 'event', {}> {
  let query = whereDates(db.selectFrom('event'), 'event', filter);
  const { categories, actorId, role, isMeasure, sourceId, text, attestations } = filter;
  if (categories != null && categories.length > 0) query = query.where('event.category', '=', anyOf(categories));
  if (attestations != null && attestations.length > 0) query = query.where('event.attestation', '=', anyOf(attestations as Attestation[]));
  if (actorId != null || role != null) {
    query = query.where(({ exists, selectFrom }) => {
      let participants = selectFrom('participant').select(sql.lit(1).as('one')).whereRef('participant.event_id', '=', 'event.id');
      if (actorId != null) participants = participants.where('participant.actor_id', '=', idOfKey(db, 'actor', actorId));
      if (role != null) participants = participants.where('participant.role', '=', role);
      return exists(participants);
    });
  }
  if (isMeasure != null) {
    query = query.where(({ exists, not, selectFrom }) => {
      const measure = exists(selectFrom('measure').select(sql.lit(1).as('one')).whereRef('measure.event_id', '=', 'event.id'));
      return isMeasure ? measure : not(measure);
    });
  }
  if (sourceId != null) {
    // An event cites a source through its own citations or its measure's.
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('citation')
          .leftJoin('measure', 'measure.id', 'citation.subject_measure_id')
          .select(sql.lit(1).as('one'))
          .where('citation.source_id', '=', idOfKey(db, 'source', sourceId))
          .where((eb) => eb.or([eb('citation.subject_event_id', '=', eb.ref('event.id')), eb('measure.event_id', '=', eb.ref('event.id'))])),
      ),
    );
  }
  if (text != null && text.trim() !== '') {
    query = query.where(sql<boolean>`event.search @@ websearch_to_tsquery('english', ${text})`);
  }
  return query;
}

/**
 * The date and precision filters, on `event` or on `event_date_count`, which
 * holds the same three columns: a count narrowed by these alone is read from
 * the counts (a few hundred rows) instead of the events (tens of thousands).
 */
function whereDates<Query extends SelectQueryBuilder<DB, 'event' | 'event_date_count', {}>>(
  query: Query,
  table: 'event' | 'event_date_count',
  { from, to, precisions }: EventFilter,
): Query {
  const column = (name: 'date_earliest' | 'date_latest' | 'date_precision') => sql.ref(`${table}.${name}`);
  const predicates: RawBuilder<SqlBool>[] = [];
  if (from != null) {
    // A fuzzy date spans at most 366 days (a CHECK), so this implied lower bound
    // turns 'may overlap' into one range scan of the date index.
    predicates.push(sql`${column('date_latest')} >= ${from}`, sql`${column('date_earliest')} >= ${from}::date - 366`);
  }
  if (to != null) predicates.push(sql`${column('date_earliest')} <= ${to}`);
  if (precisions != null && precisions.length > 0) predicates.push(sql`${column('date_precision')} = ${anyOf(precisions)}`);
  // Type escape: `where` with a raw predicate returns the same builder, typed by Kysely as its base type.
  return predicates.reduce((narrowed, predicate) => narrowed.where(predicate) as Query, query);
}

/** Whether a filter narrows by date and precision alone, so that `event_date_count` can count what it selects. */
function narrowsByDateOnly({ categories, actorId, role, isMeasure, sourceId, text, attestations }: EventFilter): boolean {
  return !categories?.length && !attestations?.length && actorId == null && role == null && isMeasure == null && sourceId == null && !text?.trim();
}

export const findEventsByIds = compiledOnce<number, EventRow>((db, ids) => db.selectFrom('event').select(EVENT_COLUMNS).where('event.id', '=', anyOf(ids)));

export const findEventsBySlugs = compiledOnce<string, EventRow>((db, slugs) => db.selectFrom('event').select(EVENT_COLUMNS).where('event.slug', '=', anyOf(slugs)));

export async function findEventsPage(
  db: Kysely<DB>,
  filter: EventFilter,
  order: { field: EventOrderField; direction: SortDirection },
  request: PageRequest,
) {
  const keys = EVENT_SORT_KEYS[order.field];
  return fetchPage(filteredEvents(db, filter).select(EVENT_COLUMNS), keys, order.direction, request);
}

export async function countEvents(db: Kysely<DB>, filter: EventFilter): Promise<number> {
  if (!narrowsByDateOnly(filter)) return countRows(filteredEvents(db, filter));
  const counted = whereDates(db.selectFrom('event_date_count'), 'event_date_count', filter);
  const row = await counted.select(sql<number>`coalesce(sum(event_date_count.events), 0)::int8`.as('count')).executeTakeFirstOrThrow();
  return row.count;
}

/** Pages of each actor's events, in date order, in one statement. */
export async function findEventPagesByActorIds(
  db: Kysely<DB>,
  actorIds: readonly number[],
  role: string | null,
  request: Omit<PageRequest, 'backward'>,
) {
  let query = db
    .selectFrom('event')
    .innerJoin('participant', 'participant.event_id', 'event.id')
    .select(EVENT_COLUMNS)
    .select('participant.actor_id as parent_id')
    .where('participant.actor_id', '=', anyOf(actorIds));
  if (role !== null) query = query.where('participant.role', '=', role);
  else query = query.distinctOn(['participant.actor_id', 'event.id']);
  // distinct on needs its own ordering, so it is resolved in a subquery before numbering.
  const rows = db.selectFrom(query.as('event')).selectAll();
  return fetchPagesByParent(db, rows, EVENT_SORT_KEYS.DATE, 'asc', request);
}

export async function countEventsByActorIds(db: Kysely<DB>, actorIds: readonly number[], role: string | null) {
  let query = db
    .selectFrom('participant')
    .select(['participant.actor_id as parent_id', (eb) => eb.fn.count<number>('participant.event_id').distinct().as('count')])
    .where('participant.actor_id', '=', anyOf(actorIds))
    .groupBy('participant.actor_id');
  if (role !== null) query = query.where('participant.role', '=', role);
  return query.execute();
}

/** An event's month, `YYYY-MM`, or its year where the sources give no month: a chart must not invent one. */
export const EVENT_MONTH = sql<string>`case when event.date_precision = 'YEAR' then to_char(event.date_earliest, 'YYYY') else to_char(event.date_earliest, 'YYYY-MM') end`;

export interface Bucket {
  readonly key: string;
  readonly count: number;
}

/**
 * Counts of the filtered events by month, category or actor. A month key is
 * `YYYY-MM`, or just `YYYY` for events the sources date only to a year: no
 * month is invented for them. Months come in date order, the rest by count.
 */
export async function countEventsBy(db: Kysely<DB>, grouping: EventGrouping, filter: EventFilter): Promise<Bucket[]> {
  const events = filteredEvents(db, filter);
  if (grouping === 'MONTH') {
    // How many events have each fuzzy date: summed from event_date_count for a
    // filter by dates alone, one row per event otherwise. Counted by day first and
    // formatted per day rather than per event: to_char on each of 200,000 events
    // cost more than the scan.
    const dated = narrowsByDateOnly(filter)
      ? whereDates(db.selectFrom('event_date_count'), 'event_date_count', filter).select(['date_earliest', 'date_precision', 'events'])
      : events.select(['event.date_earliest', 'event.date_precision', sql<number>`1`.as('events')]);
    const { rows } = await sql<Bucket>`
      select key, sum(n)::int8 as count
      from (
        select date_earliest as day,
          sum(events) filter (where date_precision = 'YEAR') as years,
          sum(events) filter (where date_precision <> 'YEAR') as months
        from (${dated}) as dated
        group by date_earliest
      ) as days, lateral (values (to_char(days.day, 'YYYY'), days.years), (to_char(days.day, 'YYYY-MM'), days.months)) as bucket(key, n)
      where n > 0
      group by key
      order by min(days.day), key`.execute(db);
    return rows;
  }
  if (grouping === 'CATEGORY') {
    return events
      .select(['event.category as key', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('event.category')
      .orderBy('count', 'desc')
      .orderBy('key')
      .execute();
  }
  let participants = events.innerJoin('participant', 'participant.event_id', 'event.id');
  if (filter.role != null) participants = participants.where('participant.role', '=', filter.role);
  return participants
    .select([sql<string>`participant.actor_id::text`.as('key'), (eb) => eb.fn.count<number>('event.id').distinct().as('count')])
    .groupBy('participant.actor_id')
    .orderBy('count', 'desc')
    .orderBy('participant.actor_id')
    .execute();
}

/** An actor's row with its country's row (null for an actor of no state) inside it. */
export type ActorWithCountry = ActorRow & { readonly country: ActorRow | null };

/** A participant with its actor's row and that actor's country's row, joined because each is to-one. */
export type ParticipantWithActor = ParticipantRow & { readonly actor: ActorWithCountry };

/**
 * Each event's participants, with their actors and the actors' countries in
 * the same statement: both are to-one, so joining them saves a round trip
 * per query level (`participants { actor { country { name } } }`, the
 * timeline's shape, is one statement instead of two).
 */
export const findParticipantsByEventIds = compiledOnce<number, ParticipantWithActor>((db, eventIds) =>
  db
    .selectFrom('participant')
    .innerJoin('actor', 'actor.id', 'participant.actor_id')
    .leftJoin('actor as country', 'country.id', 'actor.country_id')
    .selectAll('participant')
    // The country inside its actor, where `Actor.country` finds it without a loader's promise. The
    // whole row of an unmatched outer join is null, and so is its JSON.
    .select(sql<ActorWithCountry>`to_jsonb(actor) || jsonb_build_object('country', to_jsonb(country))`.as('actor'))
    .where('participant.event_id', '=', anyOf(eventIds))
    .orderBy('participant.event_id')
    .orderBy('participant.position'),
);

export const findPlacesByIds = compiledOnce<number, PlaceRow>((db, ids) => db.selectFrom('place').select(['place.id', 'place.slug', 'place.name', 'place.country_id']).where('place.id', '=', anyOf(ids)));
