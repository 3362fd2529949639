import pRetry from 'p-retry';
import type { Logger } from 'pino';
import type { DatabaseTarget } from '../config.js';
import { type Database, openDatabase } from './connect.js';
import { classifyDatabaseError, describeUnavailable } from './faults.js';
import { isMigrated, migrateToLatest } from './migrate.js';
import { findSeedDigest } from './queries/seed-state.js';
import { loadSeeds } from './seed.js';
import type { SeedSet } from './seed-files.js';

/** The seeds to start with: their digest at once, their parsed and validated records only if they must be loaded. */
export interface SeedSource {
  readonly digest: string;
  /** Reads and validates the seeds; throws SeedValidationError. Called at most once per start. */
  read(): Promise<SeedSet>;
}

/** Whether the knowledge base is migrated and seeded yet, and if not, why; read by `/ready` and the request gate. */
export class StartupStatus {
  #ready = false;
  #reason = 'starting: migrations and seeding not yet run';

  get ready(): boolean {
    return this.#ready;
  }

  /** Why the server is not ready, naming no host or port. */
  get reason(): string {
    return this.#reason;
  }

  waiting(reason: string): void {
    this.#reason = reason;
  }

  done(): void {
    this.#ready = true;
  }
}

export interface PrepareOptions {
  readonly target: DatabaseTarget;
  /** The serving database; the embedded engine is migrated through it (it has one connection, and no timeouts). */
  readonly database: Database;
  readonly seeds: SeedSource;
  readonly logger: Logger;
  readonly status: StartupStatus;
  /** Stops retrying, for a shutdown during start-up. */
  readonly signal?: AbortSignal;
  /** Back-off between attempts: the first wait and the longest (doubling, randomised so instances spread out). */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
}

/** A bounded wait to connect (an unreachable host would otherwise hang for the OS's TCP timeout), nothing else. */
const CONNECT_ONLY = { statementMs: 0, lockMs: 0, idleInTransactionMs: 0, poolWaitMs: 10_000 };

/**
 * Migrates and seeds, retrying with exponential back-off for as long as the
 * database is out of reach, so a server started before its database becomes
 * ready by itself, without a restart. Any other failure (a migration that
 * fails on a reachable database) is thrown: retrying would not help.
 */
export async function prepareDatabase({ target, database, seeds, logger, status, signal, backoff }: PrepareOptions): Promise<void> {
  await pRetry(
    async () => {
      // Migrations and seeding get a connection of their own without the serving
      // pool's timeouts: building an index or loading the seeds may take long, and
      // waiting for another instance's migration or seeding lock is expected.
      const own = target.engine === 'postgres' ? await openDatabase(target, { poolSize: 1, timeouts: CONNECT_ONLY }) : undefined;
      try {
        await migrateAndSeed(own ?? database, seeds, logger);
      } finally {
        await own?.close();
      }
    },
    {
      retries: Number.POSITIVE_INFINITY,
      factor: 2,
      minTimeout: backoff?.minMs ?? 500,
      maxTimeout: backoff?.maxMs ?? 10_000,
      randomize: true,
      signal,
      shouldRetry: ({ error }) => classifyDatabaseError(error) === 'unavailable',
      onFailedAttempt: ({ error, attemptNumber }) => {
        if (classifyDatabaseError(error) !== 'unavailable') return;
        const reason = `database unreachable: ${describeUnavailable(error)}`;
        status.waiting(reason);
        logger.warn(
          { attempt: attemptNumber, reason, cause: error.message },
          `${reason}; retrying migrations and seeding with back-off (attempt ${attemptNumber})`,
        );
      },
    },
  );
  status.done();
}

async function migrateAndSeed({ db }: Database, seeds: SeedSource, logger: Logger): Promise<void> {
  // A warm start: migrated, and loaded from these very bytes. Nothing to parse, validate or migrate.
  if ((await isMigrated(db)) && (await findSeedDigest(db)) === seeds.digest) return;
  // Read before anything changes: bad seeds stop the start with the database as it was.
  const seedSet = await seeds.read();
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`);
  const seeded = await loadSeeds(db, seedSet, 'if-empty', (message) => logger.info(`seeding ${message}`));
  if (seeded.status === 'loaded') logger.info({ counts: seeded.counts }, 'loaded the seeds into an empty knowledge base');
  if (seeded.status === 'other-data') {
    logger.warn({ counts: seeded.counts }, 'the knowledge base differs from seeds/; `npm run db:seed -- --reset` replaces it');
  }
}
