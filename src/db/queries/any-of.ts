import { type Compilable, type CompiledQuery, createQueryId, type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../database.js';

/**
 * `column = any($1)` with the list as one array parameter, for
 * `.where(column, '=', anyOf(list))`: the same rows as `in ($1, …, $n)`, and
 * one statement text for every list length, where an IN list made one per
 * length (as many as there are DataLoader batch sizes), each prepared anew.
 */
export function anyOf<T>(values: readonly T[]): RawBuilder<T> {
  return sql<T>`any(${values})`;
}

/** Stands for a batch's keys while its statement is compiled; each run puts the batch's keys in its place. */
const KEYS: readonly never[] = Object.freeze([]);

/**
 * A loader's statement, whose only variable part is the batch's keys
 * (`anyOf(keys)`): built and compiled by Kysely once per database, then run
 * with each batch's keys. Building and compiling it again for every batch took
 * a fifth of the CPU of ten `node` lookups (bench/RESULTS.md, "Nineteenth session").
 */
export function compiledOnce<Key, Row>(build: (db: Kysely<DB>, keys: readonly Key[]) => Compilable<Row>) {
  const compiled = new WeakMap<Kysely<DB>, CompiledQuery<Row>>();
  return async (db: Kysely<DB>, keys: readonly Key[]): Promise<Row[]> => {
    let query = compiled.get(db);
    if (query === undefined) {
      query = build(db, KEYS).compile();
      // Keys used any other way than `anyOf(keys)` would be compiled into the text, empty, for every batch.
      if (!query.parameters.includes(KEYS)) throw new Error(`compiledOnce: the statement takes no anyOf(keys): ${query.sql}`);
      compiled.set(db, query);
    }
    const parameters = query.parameters.map((value) => (value === KEYS ? keys : value));
    return (await db.executeQuery<Row>({ ...query, parameters, queryId: createQueryId() })).rows;
  };
}
