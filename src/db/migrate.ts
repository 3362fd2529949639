import { type Kysely, type MigrationResultSet, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as createKnowledgeBase from './migrations/2026_11_22_14_00_00_create_knowledge_base.js';
import * as addSearchIndexes from './migrations/2026_11_22_15_00_00_add_search_indexes.js';
import * as addDateRangeIndex from './migrations/2026_11_24_04_00_00_add_date_range_index.js';
import * as addAttestationAndResponseLinks from './migrations/2026_11_24_04_10_00_add_attestation_and_response_links.js';

// Listed explicitly, not read from a folder, so they run the same under tsx,
// compiled output and vitest.
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_22_14_00_00_create_knowledge_base': createKnowledgeBase,
  '2026_11_22_15_00_00_add_search_indexes': addSearchIndexes,
  '2026_11_24_04_00_00_add_date_range_index': addDateRangeIndex,
  '2026_11_24_04_10_00_add_attestation_and_response_links': addAttestationAndResponseLinks,
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
