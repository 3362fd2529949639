import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { type Database, type OpenOptions, openDatabase } from '../../src/db/connect.js';
import { adminQuery, databaseUrl } from './engine.js';

export const testEngine = inject('testEngine');

let databases = 0;

type ServerOptions = Pick<OpenOptions, 'log' | 'timeouts' | 'poolSize'> & {
  /** Postgres only: false opens the database as `DB_PREPARED_STATEMENTS=false` does. */
  readonly preparedStatements?: boolean;
};

/** A private copy of the run's migrated and seeded knowledge base; `close()` discards it. Timeouts and pool size apply on Postgres. */
export async function openSeededDatabase(options: ServerOptions = {}): Promise<Database> {
  if (testEngine.engine === 'pglite') {
    const archive = new Blob([readFileSync(testEngine.archive)]);
    return openDatabase({ engine: 'pglite', dataDir: null }, { loadDataDir: archive, log: options.log });
  }
  return openServerDatabase(`create database %s template ${testEngine.template}`, options);
}

/** A brand-new database with nothing in it, not even migrations. */
export async function openEmptyDatabase(): Promise<Database> {
  if (testEngine.engine === 'pglite') return openDatabase({ engine: 'pglite', dataDir: null });
  return openServerDatabase('create database %s');
}

async function openServerDatabase(createStatement: string, options: ServerOptions = {}): Promise<Database> {
  if (testEngine.engine !== 'postgres') throw new Error('not a server run');
  const { serverUrl, runId } = testEngine;
  const name = `${runId}_${process.pid}_${++databases}`;
  await adminQuery(serverUrl, createStatement.replace('%s', name));
  const { preparedStatements, ...open } = options;
  const database = await openDatabase({ engine: 'postgres', url: databaseUrl(serverUrl, name), preparedStatements }, { poolSize: 4, ...open });
  return {
    ...database,
    async close() {
      await database.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
