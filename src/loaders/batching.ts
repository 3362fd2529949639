import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import type { DB } from '../db/database.js';
import type { Page, PageRequest } from '../db/queries/pagination.js';

/**
 * One per request. DataLoader dispatches a batch on the next tick, so loads
 * from parents whose rows arrive at different moments (an event's participants
 * and its measure both need actors) would split one level of a query into
 * several statements, as the database's timing decides. Holding every batch
 * until none of the request's batches is running makes each level one round:
 * the statements a query costs follow its shape, never the timing.
 */
export class BatchScheduler {
  #running = 0;
  #waiting: (() => void)[] = [];
  #flushPending = false;

  readonly schedule = (dispatch: () => void): void => {
    this.#waiting.push(dispatch);
    this.#flushWhenIdle();
  };

  /** Counts a batch as running until it settles. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.#running += 1;
    try {
      return await work;
    } finally {
      this.#running -= 1;
      this.#flushWhenIdle();
    }
  }

  // After the current tick's promise callbacks, so the loads that settled rows trigger have been queued.
  // One check per tick however many loaders asked (ten `node` lookups schedule ten).
  #flushWhenIdle(): void {
    if (this.#flushPending) return;
    this.#flushPending = true;
    setImmediate(() => {
      this.#flushPending = false;
      if (this.#running > 0) return;
      for (const dispatch of this.#waiting.splice(0)) dispatch();
    });
  }
}

/** A loader of the one row whose `keyOf` is the given key; a missing row is null. One statement per batch. */
export function rowByKey<Row, Key = number>(batches: BatchScheduler, fetch: (keys: readonly Key[]) => Promise<Row[]>, keyOf: (row: Row) => Key) {
  return new DataLoader<Key, Row | null>(
    async (keys) => {
      const rows = new Map((await batches.track(fetch(keys))).map((row) => [keyOf(row), row]));
      return keys.map((key) => rows.get(key) ?? null);
    },
    { batchScheduleFn: batches.schedule },
  );
}

export function rowById<Row extends { id: number }>(batches: BatchScheduler, fetch: (ids: readonly number[]) => Promise<Row[]>) {
  return rowByKey(batches, fetch, (row) => row.id);
}

/**
 * A loader of the one row with this slug, for root fields such as `event(slug)`:
 * the row it finds is primed into `byId`, so nested fields reaching the same
 * record by id cost no second statement.
 */
export function rowBySlug<Row extends { id: number; slug: string }>(
  batches: BatchScheduler,
  fetch: (slugs: readonly string[]) => Promise<Row[]>,
  byId: DataLoader<number, Row | null>,
) {
  return rowByKey<Row, string>(
    batches,
    async (slugs) => {
      const rows = await fetch(slugs);
      for (const row of rows) byId.prime(row.id, row);
      return rows;
    },
    (row) => row.slug,
  );
}

/** A loader of every row whose `keyOf` is the given id, in the order fetched. One statement per batch. */
export function rowsByKey<Row, Value = Row>(
  batches: BatchScheduler,
  fetch: (keys: readonly number[]) => Promise<Row[]>,
  keyOf: (row: Row) => number,
  valueOf: (row: Row) => Value = (row) => row as unknown as Value,
) {
  return new DataLoader<number, Value[]>(
    async (keys) => {
      const groups = new Map<number, Value[]>();
      for (const row of await batches.track(fetch(keys))) {
        const key = keyOf(row);
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [valueOf(row)]);
        else group.push(valueOf(row));
      }
      return keys.map((key) => groups.get(key) ?? []);
    },
    { batchScheduleFn: batches.schedule },
  );
}

/** A loader of a count per parent (and variant, such as a role), missing counts being 0. */
export function countByParent<Variant = null>(
  batches: BatchScheduler,
  fetch: (parentIds: readonly number[], variant: Variant) => Promise<{ parent_id: number; count: number }[]>,
) {
  return new DataLoader<{ parentId: number; variant: Variant }, number, string>(
    async (keys) => {
      const counts = new Map<string, number>();
      for (const variant of new Set(keys.map((key) => key.variant))) {
        const ids = keys.filter((key) => key.variant === variant).map((key) => key.parentId);
        for (const row of await batches.track(fetch(ids, variant))) counts.set(JSON.stringify([row.parent_id, variant]), row.count);
      }
      return keys.map((key) => counts.get(JSON.stringify([key.parentId, key.variant])) ?? 0);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.variant]), batchScheduleFn: batches.schedule },
  );
}

/** For rows a foreign key guarantees: a miss is a server fault, left to error masking. */
export function required<T>(row: T | null): T {
  if (row === null) throw new Error('a row that a foreign key guarantees is missing');
  return row;
}

export interface PageKey<Variant = null> {
  readonly parentId: number;
  readonly request: Omit<PageRequest, 'backward'>;
  readonly variant: Variant;
}

/**
 * Pages of a nested connection (an actor's events) for every parent on the
 * page at once: keys asking for the same page of different parents share one
 * statement, so the statement count follows the query's depth, not its size.
 */
export function pageByParent<Row, Variant = null>(
  batches: BatchScheduler,
  fetch: (parentIds: readonly number[], request: Omit<PageRequest, 'backward'>, variant: Variant) => Promise<Map<number, Page<Row>>>,
) {
  return new DataLoader<PageKey<Variant>, Page<Row>, string>(
    async (keys) => {
      const groups = new Map<string, PageKey<Variant>[]>();
      for (const key of keys) {
        const name = JSON.stringify([key.request, key.variant]);
        const group = groups.get(name);
        if (group === undefined) groups.set(name, [key]);
        else group.push(key);
      }
      const pages = new Map<PageKey<Variant>, Page<Row>>();
      for (const group of groups.values()) {
        const { request, variant } = group[0]!;
        const byParent = await batches.track(fetch([...new Set(group.map((key) => key.parentId))], request, variant));
        for (const key of group) pages.set(key, byParent.get(key.parentId) ?? { rows: [], hasMore: false });
      }
      return keys.map((key) => pages.get(key)!);
    },
    { cacheKeyFn: (key) => JSON.stringify(key), batchScheduleFn: batches.schedule },
  );
}

/**
 * A query bound to the request's database, for what nothing batches (a root
 * list's page and count, an aggregate): resolvers reach every query through
 * the loaders object and never hold the database themselves.
 */
export function bound<Args extends unknown[], Result>(db: Kysely<DB>, query: (db: Kysely<DB>, ...args: Args) => Result) {
  return (...args: Args): Result => query(db, ...args);
}
