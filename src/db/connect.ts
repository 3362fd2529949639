import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, type LogConfig, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type DatabaseTarget, describeDatabase, type Timeouts } from '../config.js';
import { CancellableClient } from './cancellation.js';
import type { DB } from './database.js';
import { PreparingClient } from './prepared-statements.js';

export interface Database {
  readonly db: Kysely<DB>;
  readonly engine: DatabaseTarget['engine'];
  /** Where the data lives, without secrets: a directory, `memory://` or a URL. */
  readonly location: string;
  /** The embedded engine itself, when that is the engine (tests snapshot it with `dumpDataDir`). */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Kysely's log hook; tests use it to count statements. */
  readonly log?: LogConfig;
  /** Connections to a Postgres server (the embedded engine always has exactly one). */
  readonly poolSize?: number;
  /** Restore an embedded database from a `dumpDataDir()` archive instead of creating one. */
  readonly loadDataDir?: Blob;
  /**
   * Set on every Postgres session, with the pool's bounded wait for a connection.
   * Unset: no timeouts, for migrations, seeding and the CLI, whose long statements are expected.
   */
  readonly timeouts?: Omit<Timeouts, 'requestMs'>;
  /** Told of every connection that breaks, in use or idle; the query on it fails, nothing else does. */
  readonly onConnectionError?: (error: Error) => void;
}

// One set of type parsers for both engines: dates stay `YYYY-MM-DD` strings
// (a JS Date would move with the time zone) and counts (int8) become numbers.
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.DATE) return (value: string) => value;
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  const location = describeDatabase(target);
  if (target.engine === 'postgres') {
    const { timeouts, onConnectionError = () => {} } = options;
    const size = options.poolSize ?? 10;
    const pool = new pg.Pool({
      connectionString: target.url,
      Client: target.preparedStatements === false ? CancellableClient : PreparingClient,
      max: size,
      // A connection, once opened, is kept (a fixed-size pool, as HikariCP advises). pg closes
      // one idle for 10 s by default, and the first requests after a pause paid for new ones:
      // the connection, its backend's cold catalog caches, every statement prepared and planned
      // again. An escalation page after 30 s without requests took 73-89 ms, the next few 12-30,
      // against 4-6 ms warm (bench/RESULTS.md, fourteenth session). A broken idle connection is
      // still dropped at once (below), and `close()` ends them all.
      min: size,
      types: typeParsers,
      application_name: 'crisis-kb',
      ...(timeouts && {
        statement_timeout: timeouts.statementMs,
        lock_timeout: timeouts.lockMs,
        idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
        connectionTimeoutMillis: timeouts.poolWaitMs,
      }),
    });
    // pg's Pool listens for errors on idle clients only: a checked-out client whose
    // connection drops would emit an unhandled 'error' and end the process. Its query
    // fails with the error; the pool then discards the broken client.
    pool.on('connect', (client) => client.on('error', onConnectionError));
    // The pool re-emits an idle client's error, which the listener above has already been told.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: options.log });
    return { db, engine: 'postgres', location, close: () => db.destroy() };
  }

  if (target.dataDir !== null) mkdirSync(target.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: target.dataDir ?? undefined,
    extensions: { pg_trgm },
    loadDataDir: options.loadDataDir,
  });
  // The adapter gives node-postgres one connection over the embedded engine;
  // Kysely queues on it, so transactions never interleave. Never more than one.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types: typeParsers });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: options.log });
  return {
    db,
    engine: 'pglite',
    location,
    pglite,
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
