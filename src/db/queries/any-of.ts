import { type RawBuilder, sql } from 'kysely';

/**
 * `column = any($1)` with the list as one array parameter, for
 * `.where(column, '=', anyOf(list))`: the same rows as `in ($1, …, $n)`, and
 * one statement text for every list length, where an IN list made one per
 * length (as many as there are DataLoader batch sizes), each prepared anew.
 */
export function anyOf<T>(values: readonly T[]): RawBuilder<T> {
  return sql<T>`any(${values})`;
}
