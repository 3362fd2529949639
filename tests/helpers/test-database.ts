import { readFileSync } from 'node:fs';
import type { LogConfig } from 'kysely';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/connect.js';
import { adminQuery, databaseUrl } from './engine.js';

export const testEngine = inject('testEngine');

let databases = 0;

/** A private copy of the run's migrated and seeded knowledge base; `close()` discards it. */
export async function openSeededDatabase(options: { log?: LogConfig } = {}): Promise<Database> {
  if (testEngine.engine === 'pglite') {
    const archive = new Blob([readFileSync(testEngine.archive)]);
    return openDatabase({ engine: 'pglite', dataDir: null }, { loadDataDir: archive, log: options.log });
  }
  return openServerDatabase(`create database %s template ${testEngine.template}`, options.log);
}

/** A brand-new database with nothing in it, not even migrations. */
export async function openEmptyDatabase(): Promise<Database> {
  if (testEngine.engine === 'pglite') return openDatabase({ engine: 'pglite', dataDir: null });
  return openServerDatabase('create database %s');
}

async function openServerDatabase(createStatement: string, log?: LogConfig): Promise<Database> {
  if (testEngine.engine !== 'postgres') throw new Error('not a server run');
  const { serverUrl, runId } = testEngine;
  const name = `${runId}_${process.pid}_${++databases}`;
  await adminQuery(serverUrl, createStatement.replace('%s', name));
  const database = await openDatabase({ engine: 'postgres', url: databaseUrl(serverUrl, name) }, { log, poolSize: 4 });
  return {
    ...database,
    async close() {
      await database.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
