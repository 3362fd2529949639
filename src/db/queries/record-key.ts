import type { Kysely } from 'kysely';
import type { DB } from '../database.js';

/** A record named by its id, or by its slug (the stable key a client may already know). */
export type RecordKey = number | { readonly slug: string };

/**
 * The record's id as a value or, for a slug, as a subquery inside the same
 * statement: a slug costs no extra round trip, and an unknown one matches nothing,
 * as an unknown id does.
 */
export function idOfKey(db: Kysely<DB>, table: 'actor' | 'event' | 'source', key: RecordKey) {
  if (typeof key === 'number') return key;
  switch (table) {
    case 'actor':
      return db.selectFrom('actor').select('actor.id').where('actor.slug', '=', key.slug);
    case 'event':
      return db.selectFrom('event').select('event.id').where('event.slug', '=', key.slug);
    case 'source':
      return db.selectFrom('source').select('source.id').where('source.slug', '=', key.slug);
  }
}
