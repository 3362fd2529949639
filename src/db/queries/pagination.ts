import { type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';

export type SortDirection = 'asc' | 'desc';

/**
 * A keyset page request: rows strictly after (or, backward, before) the
 * cursor's sort-key values. The last key must be unique, so every row has one
 * position and page 10,000 costs what page 1 costs.
 */
export interface PageRequest {
  readonly limit: number;
  readonly backward: boolean;
  /** Sort-key values of the row the page starts after (or ends before). */
  readonly cursor: readonly (string | number)[] | null;
}

/**
 * A cursor whose values do not fit the list's sort keys: decoded from a client's string, it may
 * hold anything of the right list tag. The schema reports it as the client's mistake.
 */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor values do not fit the sort keys');
    this.name = 'InvalidCursorError';
  }
}

/** Invalid text for a date or a number (SQLSTATE class 22) can only come from a forged cursor's values. */
async function withCursorChecked<T>(request: { readonly cursor: readonly unknown[] | null }, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (request.cursor !== null && typeof code === 'string' && code.startsWith('22')) throw new InvalidCursorError();
    throw error;
  }
}

export interface Page<Row> {
  readonly rows: Row[];
  /** More rows lie beyond the page in the direction of travel. */
  readonly hasMore: boolean;
}

/** Orders by `keys`, applies the cursor and limit, and returns the page in display order. */
export async function fetchPage<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  keys: readonly string[],
  direction: SortDirection,
  request: PageRequest,
): Promise<Page<Row>> {
  const travel = request.backward ? flip(direction) : direction;
  let ordered = query;
  if (request.cursor !== null) ordered = ordered.where(afterCursor(keys, travel, request.cursor));
  for (const ref of sortKeySql(keys).refs) ordered = ordered.orderBy(ref, travel);
  // The limit is written into the text, not sent as a parameter: with `limit $n` Postgres cannot
  // price a generic plan (it assumes a tenth of the table) and plans the page again at every run,
  // 20–30 µs each; with `limit 21` it keeps one plan per connection (bench/RESULTS.md, tenth
  // session). A page size is 0–100, so a list's statement has at most 101 texts.
  const rows = await withCursorChecked(request, () => ordered.limit(sql.lit(request.limit + 1)).execute());
  const page = rows.slice(0, request.limit);
  return { rows: request.backward ? page.reverse() : page, hasMore: rows.length > request.limit };
}

/** A row's position in a list ordered by `keys`: the values its cursor encodes. */
export function sortValues(row: object, keys: readonly string[]): (string | number)[] {
  return sortKeySql(keys).outputNames.map((name) => (row as Record<string, string | number>)[name]!);
}

/** How many rows a filtered query holds: the `totalCount` of its connection. */
export async function countRows(query: SelectQueryBuilder<any, any, {}>): Promise<number> {
  const row = await query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return row.count;
}

/**
 * One statement for the pages of many parents (an actor's events, for every
 * actor on a page): rows are numbered within each parent and cut at the limit.
 * `query` must select the parent's id as `parent_id` and each sort key under
 * its column name. Forward paging only.
 */
export async function fetchPagesByParent<Row extends { parent_id: number }>(
  db: Kysely<any>,
  query: SelectQueryBuilder<any, any, Row>,
  keys: readonly string[],
  direction: SortDirection,
  request: Omit<PageRequest, 'backward'>,
): Promise<Map<number, Page<Row>>> {
  let filtered = query;
  if (request.cursor !== null) filtered = filtered.where(afterCursor(keys, direction, request.cursor));
  // Numbered one level up, where the selected columns have their output names.
  const order = sql.join(sortKeySql(keys).outputNames.map((name) => sql`${sql.ref(name)} ${sql.raw(direction)}`));
  const numbered = db
    .selectFrom(filtered.as('page_rows'))
    .selectAll()
    .select(sql<number>`row_number() over (partition by parent_id order by ${order})`.as('position_in_parent'));
  // Type escape: selecting * from a subquery of a generic row shape; the rows are that shape plus the position.
  const rows = (await withCursorChecked(request, () =>
    db
      .selectFrom(numbered.as('numbered'))
      .selectAll()
      .where('position_in_parent', '<=', request.limit + 1)
      .orderBy('parent_id')
      .orderBy('position_in_parent')
      .execute(),
  )) as (Row & { position_in_parent: number })[];
  const pages = new Map<number, Page<Row>>();
  for (const { position_in_parent, ...row } of rows) {
    const page = pages.get(row.parent_id) ?? { rows: [], hasMore: false };
    if (position_in_parent <= request.limit) page.rows.push(row as unknown as Row);
    pages.set(row.parent_id, position_in_parent > request.limit ? { ...page, hasMore: true } : page);
  }
  return pages;
}

function afterCursor(keys: readonly string[], travel: SortDirection, cursor: readonly (string | number)[]): Expression<SqlBool> {
  if (cursor.length !== keys.length) throw new InvalidCursorError();
  // `sql.join` of plain values makes each one a parameter.
  return sql<SqlBool>`(${sortKeySql(keys).tuple}) ${COMPARATORS[travel]} (${sql.join(cursor)})`;
}

const COMPARATORS = { asc: sql.raw('>'), desc: sql.raw('<') } as const;

interface SortKeySql {
  /** Each key as a column reference, for `order by`. */
  readonly refs: readonly RawBuilder<unknown>[];
  /** The keys as a row, `(a, b, id)`, for the keyset comparison. */
  readonly tuple: RawBuilder<unknown>;
  /** `event.date_earliest` → `date_earliest`: each key as a subquery outputs it, and as a row holds it. */
  readonly outputNames: readonly string[];
}

// Sort keys are module constants, so their SQL is built once per list. Built per request, the
// references and the keyset predicate took Kysely 6–9 µs of the 22–28 µs it spent building the
// deep page's statement (bench/RESULTS.md, eighth session).
const sortKeySqlCache = new WeakMap<readonly string[], SortKeySql>();

function sortKeySql(keys: readonly string[]): SortKeySql {
  let built = sortKeySqlCache.get(keys);
  if (built === undefined) {
    const refs = keys.map((key) => sql.ref(key));
    built = { refs, tuple: sql.join(refs), outputNames: keys.map((key) => key.slice(key.lastIndexOf('.') + 1)) };
    sortKeySqlCache.set(keys, built);
  }
  return built;
}

function flip(direction: SortDirection): SortDirection {
  return direction === 'asc' ? 'desc' : 'asc';
}
