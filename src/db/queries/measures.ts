import { type Kysely, sql } from 'kysely';
import type { DB, MeasureRow, ResponseLinkRow } from '../database.js';
import { anyOf, compiledOnce } from './any-of.js';
import { type Bucket, EVENT_MONTH } from './events.js';
import { countRows, fetchPage, fetchPagesByParent, type PageRequest } from './pagination.js';
import { idOfKey, type RecordKey } from './record-key.js';

export interface MeasureFilter {
  readonly initiatorId?: RecordKey | null;
  readonly targetId?: RecordKey | null;
  readonly kinds?: readonly string[] | null;
  readonly from?: string | null;
  readonly to?: string | null;
  /** Measures answering this event. */
  readonly inResponseToId?: RecordKey | null;
  /** Measures whose initiator is this state or one of its bodies, people or groups. */
  readonly initiatorStateId?: RecordKey | null;
  /** Measures whose target is this state or one of its bodies, people or groups. */
  readonly targetStateId?: RecordKey | null;
}

export type MeasureGrouping = 'INITIATOR' | 'TARGET' | 'INITIATOR_STATE' | 'TARGET_STATE' | 'KIND' | 'MONTH';

/** The state an actor stands for: itself if it is one, else the state it belongs to (null if the sources give none). */
const stateOf = (column: 'initiator_id' | 'target_id') =>
  sql<number | null>`(select case when actor.kind = 'STATE' then actor.id else actor.country_id end from actor where actor.id = ${sql.ref(`measure.${column}`)})`;

const MEASURE_COLUMNS = ['measure.id', 'measure.event_id', 'measure.kind', 'measure.initiator_id', 'measure.target_id'] as const;
/** Measures run in the order of their events' dates. */
export const MEASURE_SORT_KEYS = ['event.date_earliest', 'event.date_latest', 'measure.id'] as const;

/** The one place measure filters become SQL, for lists and aggregates alike. */
function filteredMeasures(db: Kysely<DB>, { initiatorId, targetId, kinds, from, to, inResponseToId, initiatorStateId, targetStateId }: MeasureFilter) {
  let query = db.selectFrom('measure').innerJoin('event', 'event.id', 'measure.event_id');
  if (initiatorId != null) query = query.where('measure.initiator_id', '=', idOfKey(db, 'actor', initiatorId));
  if (targetId != null) query = query.where('measure.target_id', '=', idOfKey(db, 'actor', targetId));
  if (initiatorStateId != null) query = query.where(stateOf('initiator_id'), '=', idOfKey(db, 'actor', initiatorStateId));
  if (targetStateId != null) query = query.where(stateOf('target_id'), '=', idOfKey(db, 'actor', targetStateId));
  if (kinds != null && kinds.length > 0) query = query.where('measure.kind', '=', anyOf(kinds));
  // The implied lower bound of a fuzzy date at most 366 days wide, as for events.
  if (from != null) query = query.where('event.date_latest', '>=', from).where('event.date_earliest', '>=', sql<string>`${from}::date - 366`);
  if (to != null) query = query.where('event.date_earliest', '<=', to);
  if (inResponseToId != null) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('measure_response')
          .select(sql.lit(1).as('one'))
          .whereRef('measure_response.measure_id', '=', 'measure.id')
          .where('measure_response.event_id', '=', idOfKey(db, 'event', inResponseToId)),
      ),
    );
  }
  return query;
}

export const findMeasuresByIds = compiledOnce<number, MeasureRow>((db, ids) => db.selectFrom('measure').select(MEASURE_COLUMNS).where('measure.id', '=', anyOf(ids)));

export const findMeasuresByEventIds = compiledOnce<number, MeasureRow>((db, eventIds) => db.selectFrom('measure').select(MEASURE_COLUMNS).where('measure.event_id', '=', anyOf(eventIds)));

export async function findMeasuresPage(db: Kysely<DB>, filter: MeasureFilter, request: PageRequest) {
  return fetchPage(filteredMeasures(db, filter).select(MEASURE_COLUMNS).select(['event.date_earliest', 'event.date_latest']), MEASURE_SORT_KEYS, 'asc', request);
}

export async function countMeasures(db: Kysely<DB>, filter: MeasureFilter): Promise<number> {
  return countRows(filteredMeasures(db, filter));
}

/** Pages of the measures each actor took (or received), in one statement. */
export async function findMeasurePagesByActorIds(
  db: Kysely<DB>,
  side: 'initiator_id' | 'target_id',
  actorIds: readonly number[],
  request: Omit<PageRequest, 'backward'>,
) {
  const query = db
    .selectFrom('measure')
    .innerJoin('event', 'event.id', 'measure.event_id')
    .select(MEASURE_COLUMNS)
    .select(['event.date_earliest', 'event.date_latest', `measure.${side} as parent_id`])
    .where(`measure.${side}`, '=', anyOf(actorIds));
  return fetchPagesByParent(db, query, MEASURE_SORT_KEYS, 'asc', request);
}

export async function countMeasuresByActorIds(db: Kysely<DB>, side: 'initiator_id' | 'target_id', actorIds: readonly number[]) {
  return db
    .selectFrom('measure')
    .select([`${side} as parent_id`, (eb) => eb.fn.countAll<number>().as('count')])
    .where(side, '=', anyOf(actorIds))
    .groupBy(side)
    .execute();
}

/** Measures answering each event: the 'responses' of an event. */
export const findRespondingMeasuresByEventIds = compiledOnce((db, eventIds: readonly number[]) =>
  db
    .selectFrom('measure_response')
    .innerJoin('measure', 'measure.id', 'measure_response.measure_id')
    .innerJoin('event', 'event.id', 'measure.event_id')
    .select(MEASURE_COLUMNS)
    .select('measure_response.event_id as answered_event_id')
    .where('measure_response.event_id', '=', anyOf(eventIds))
    .orderBy('event.date_earliest')
    .orderBy('measure.id'),
);

const RESPONSE_LINK_COLUMNS = [
  'measure_response.id',
  'measure_response.measure_id',
  'measure_response.event_id',
  'measure_response.attestation',
  'measure_response.asserted_by_id',
] as const;

/** Each measure's "in response to" links, in the date order of the events they answer. */
export const findResponseLinksByMeasureIds = compiledOnce<number, ResponseLinkRow>((db, measureIds) =>
  db
    .selectFrom('measure_response')
    .innerJoin('event', 'event.id', 'measure_response.event_id')
    .select(RESPONSE_LINK_COLUMNS)
    .where('measure_response.measure_id', '=', anyOf(measureIds))
    .orderBy('event.date_earliest')
    .orderBy('event.id'),
);

export const findResponseLinksByIds = compiledOnce<number, ResponseLinkRow>((db, ids) => db.selectFrom('measure_response').select(RESPONSE_LINK_COLUMNS).where('measure_response.id', '=', anyOf(ids)));

/** Counts of the filtered measures; months as in countEventsBy, other groupings by count. */
export async function countMeasuresBy(db: Kysely<DB>, grouping: MeasureGrouping, filter: MeasureFilter): Promise<Bucket[]> {
  const measures = filteredMeasures(db, filter);
  if (grouping === 'MONTH') {
    return measures
      .select([EVENT_MONTH.as('key'), (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(sql`1`)
      .orderBy(sql`min(event.date_earliest)`)
      .orderBy(sql`1`)
      .execute();
  }
  const group = {
    INITIATOR: sql`measure.initiator_id`,
    TARGET: sql`measure.target_id`,
    INITIATOR_STATE: stateOf('initiator_id'),
    TARGET_STATE: stateOf('target_id'),
    KIND: sql`measure.kind`,
  }[grouping];
  // Actors the sources tie to no state are counted under the key NONE, so the buckets still add up to the list.
  return measures
    .select([sql<string>`coalesce((${group})::text, 'NONE')`.as('key'), (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(sql`1`)
    .orderBy('count', 'desc')
    .orderBy('key')
    .execute();
}
