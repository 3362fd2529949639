import type { Kysely } from 'kysely';
import type { DB } from '../database.js';

/** The digest of the seeds the knowledge base was loaded from, or null when it holds something else or nothing. */
export async function findSeedDigest(db: Kysely<DB>): Promise<string | null> {
  const row = await db.selectFrom('seed_state').select('digest').executeTakeFirst();
  return row?.digest ?? null;
}
