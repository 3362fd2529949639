import type { Bucket } from '../db/queries/events.js';
import { required } from '../loaders/batching.js';
import { builder } from './builder.js';
import { EventFilterInput, eventFilter } from './event.js';
import { DatePrecisionEnum } from './fuzzy-date.js';
import { encodeGlobalId } from './global-id.js';
import { MeasureFilterInput, measureFilter } from './measure.js';
import { ActorRef } from './refs.js';

interface BucketShape {
  readonly key: string;
  readonly count: number;
  /** Set when the buckets are actors: the key is then its global ID. */
  readonly actorId: number | null;
  /** Set for months and enum values; an actor's label is its name. */
  readonly label: string | null;
  /** Set for months: a year-only key is a YEAR bucket. */
  readonly precision: 'MONTH' | 'YEAR' | null;
}

export const EventGroupingEnum = builder.enumType('EventGrouping', {
  values: {
    MONTH: { description: 'By month (`2025-06`), or by year (`2001`) for events the sources date only to a year.' },
    CATEGORY: {},
    ACTOR: { description: 'By participating actor (in `filter.role`, if given); an event counts once for each of its actors.' },
  },
});

export const MeasureGroupingEnum = builder.enumType('MeasureGrouping', {
  values: {
    INITIATOR: {},
    TARGET: {},
    INITIATOR_STATE: {
      description: 'By the state behind the initiator: Azerbaijan for its Culture Ministry, its police or its president. Key `NONE` where the sources tie the actor to no state.',
    },
    TARGET_STATE: { description: 'By the state behind the target, as `INITIATOR_STATE`.' },
    KIND: {},
    MONTH: { description: "By the month of the measure's event, or its year where no month is known." },
  },
});

export const BucketRef = builder.objectRef<BucketShape>('Bucket').implement({
  description: 'One group of an aggregate, e.g. all measures that Azerbaijan initiated.',
  fields: (t) => ({
    key: t.exposeString('key', { description: "The group's key: a month `2025-06`, an enum value, or an actor's ID." }),
    label: t.string({
      description: 'For people: `June 2025`, `Cultural`, `Azerbaijan`.',
      resolve: async (bucket, _args, { loaders }) =>
        bucket.label ?? (await loaders.actors.byId.load(bucket.actorId!).then(required)).name,
    }),
    count: t.exposeInt('count'),
    precision: t.field({
      type: DatePrecisionEnum,
      nullable: true,
      description:
        'For groups by month: `MONTH`, or `YEAR` for the bucket of what the sources date only to a year (key `2025`), ' +
        'so a chart can keep those apart from the months. Null for other groupings.',
      resolve: (bucket) => bucket.precision,
    }),
    actor: t.field({
      type: ActorRef,
      nullable: true,
      description: 'The actor, when grouping by an actor.',
      resolve: (bucket, _args, { loaders }) => (bucket.actorId === null ? null : loaders.actors.byId.load(bucket.actorId)),
    }),
  }),
});

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2025-06` → `June 2025`; `2001` stays `2001`. */
function monthLabel(key: string): string {
  const [year, month] = key.split('-');
  return month === undefined ? key : `${MONTHS[Number(month) - 1]} ${year}`;
}

/** `LAW_ENFORCEMENT` → `Law enforcement`. */
function enumLabel(value: string): string {
  const words = value.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Where the sources tie an actor to no state, `INITIATOR_STATE` and `TARGET_STATE` count it under this key. */
const NO_STATE = 'NONE';

function toBuckets(rows: Bucket[], grouping: 'MONTH' | 'ENUM' | 'ACTOR'): BucketShape[] {
  return rows.map(({ key, count }) => {
    if (grouping === 'ACTOR' && key === NO_STATE) return { key, count, actorId: null, label: 'No state given', precision: null };
    if (grouping === 'ACTOR') return { key: encodeGlobalId('Actor', key), count, actorId: Number(key), label: null, precision: null };
    if (grouping === 'MONTH') return { key, count, actorId: null, label: monthLabel(key), precision: key.includes('-') ? 'MONTH' : 'YEAR' };
    return { key, count, actorId: null, label: enumLabel(key), precision: null };
  });
}

builder.queryFields((t) => ({
  eventCounts: t.field({
    type: [BucketRef],
    description:
      'How many events fall in each group, with the same filter as `events`, so a chart and its table agree.\n' +
      'Months come in date order (none is invented for an empty month); other groups by count, largest first.',
    args: { by: t.arg({ type: EventGroupingEnum, required: true }), filter: t.arg({ type: EventFilterInput }) },
    resolve: async (_root, { by, filter }, { loaders }) =>
      toBuckets(await loaders.events.countBy(by, eventFilter(filter)), by === 'CATEGORY' ? 'ENUM' : by),
  }),
  measureCounts: t.field({
    type: [BucketRef],
    description: 'How many measures fall in each group, with the same filter as `measures`. Ordered as `eventCounts`.',
    args: { by: t.arg({ type: MeasureGroupingEnum, required: true }), filter: t.arg({ type: MeasureFilterInput }) },
    resolve: async (_root, { by, filter }, { loaders }) =>
      toBuckets(await loaders.measures.countBy(by, measureFilter(filter)), by === 'MONTH' ? 'MONTH' : by === 'KIND' ? 'ENUM' : 'ACTOR'),
  }),
}));

