import { type Kysely, type MigrationResultSet, type Migration, type MigrationProvider, Migrator, DEFAULT_MIGRATION_TABLE, sql } from 'kysely';
import * as createKnowledgeBase from './migrations/2026_11_22_14_00_00_create_knowledge_base.js';
import * as addSearchIndexes from './migrations/2026_11_22_15_00_00_add_search_indexes.js';
import * as addDateRangeIndex from './migrations/2026_11_24_04_00_00_add_date_range_index.js';
import * as addAttestationAndResponseLinks from './migrations/2026_11_24_04_10_00_add_attestation_and_response_links.js';
import * as addEventDateCounts from './migrations/2026_11_24_10_00_00_add_event_date_counts.js';

// Listed explicitly, not read from a folder, so they run the same under tsx,
// compiled output and vitest.
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_22_14_00_00_create_knowledge_base': createKnowledgeBase,
  '2026_11_22_15_00_00_add_search_indexes': addSearchIndexes,
  '2026_11_24_04_00_00_add_date_range_index': addDateRangeIndex,
  '2026_11_24_04_10_00_add_attestation_and_response_links': addAttestationAndResponseLinks,
  '2026_11_24_10_00_00_add_event_date_counts': addEventDateCounts,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider });
}

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Applies every pending migration; returns the names it applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return applied(await migrator(db).migrateToLatest());
}

/** Names of migrations not yet applied; empty when the database is current. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrations = await migrator(db).getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

/**
 * Whether every migration is applied, by two plain reads. Asking the migrator
 * (`pendingMigrations`) first creates its tables if missing and introspects the
 * catalogue, about 100 ms on the embedded engine: too much for every warm start.
 * Anything but exactly our migrations (none yet, some missing, or ones this
 * version does not know) answers false, and the migrator then does or reports it.
 */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`select to_regclass(${DEFAULT_MIGRATION_TABLE}) is not null as present`.execute(db);
  if (!rows[0]?.present) return false;
  const applied = await db.selectFrom(DEFAULT_MIGRATION_TABLE).select('name').orderBy('name').execute();
  const expected = Object.keys(MIGRATIONS).sort();
  return applied.length === expected.length && applied.every(({ name }, index) => name === expected[index]);
}

function applied({ error, results = [] }: MigrationResultSet): string[] {
  const failed = results.find((result) => result.status === 'Error');
  if (error !== undefined) {
    throw new MigrationError(
      `migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
