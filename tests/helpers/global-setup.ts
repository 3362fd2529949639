import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadSeeds } from '../../src/db/seed.js';
import { readSeeds } from '../../src/db/seed-files.js';
import { adminQuery, databaseUrl, type TestEngine } from './engine.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testEngine: TestEngine;
  }
}

/**
 * Builds one migrated and seeded database per run, which every test file
 * copies: a PGlite data-directory archive, or a Postgres template database.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const runId = `kbtest_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

  if (serverUrl) {
    const template = `${runId}_template`;
    await adminQuery(serverUrl, `create database ${template}`);
    const database = await openDatabase({ engine: 'postgres', url: databaseUrl(serverUrl, template) }, { poolSize: 1 });
    await migrateToLatest(database.db);
    await loadSeeds(database.db, readSeeds(), 'reset');
    await database.close();
    project.provide('testEngine', { engine: 'postgres', serverUrl, runId, template });
    return async () => {
      const names = await adminQuery(serverUrl, `select datname from pg_database where datname like '${runId}%'`);
      for (const { datname } of names) await adminQuery(serverUrl, `drop database if exists ${datname} with (force)`);
    };
  }

  const database = await openDatabase({ engine: 'pglite', dataDir: null });
  await migrateToLatest(database.db);
  await loadSeeds(database.db, readSeeds(), 'reset');
  const archive = path.join(os.tmpdir(), `${runId}.tar`);
  writeFileSync(archive, Buffer.from(await (await database.pglite!.dumpDataDir('none')).arrayBuffer()));
  await database.close();
  project.provide('testEngine', { engine: 'pglite', archive });
  return () => rmSync(archive, { force: true });
}
