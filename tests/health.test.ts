import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createServer } from '../src/server.js';
import { openEmptyDatabase, openSeededDatabase } from './helpers/test-database.js';

const serverOn = (db: Parameters<typeof createServer>[0]['db']) => createServer({ db, logger: pino({ level: 'silent' }) });

describe('health and readiness', () => {
  it('are 200 on a migrated database, and every response carries a request id', async () => {
    const database = await openSeededDatabase();
    try {
      const yoga = serverOn(database.db);
      const health = await yoga.fetch('http://test/health');
      expect(health.status).toBe(200);
      const ready = await yoga.fetch('http://test/ready');
      expect(ready.status).toBe(200);
      expect(ready.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const traced = await yoga.fetch('http://test/graphql?query={__typename}', { headers: { 'x-request-id': 'trace-42', 'x-graphql-yoga-csrf': '1' } });
      expect(await traced.json()).toMatchObject({ data: { __typename: 'Query' } });
      expect(traced.headers.get('x-request-id')).toBe('trace-42');
    } finally {
      await database.close();
    }
  });

  it('/ready is 503 with a reason until the database is migrated', async () => {
    const database = await openEmptyDatabase();
    try {
      const yoga = serverOn(database.db);
      const before = await yoga.fetch('http://test/ready');
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({ status: 'unavailable', reason: expect.stringMatching(/not migrated: \d+ pending migration/) });
      expect((await yoga.fetch('http://test/health')).status).toBe(200);
      await migrateToLatest(database.db);
      expect((await yoga.fetch('http://test/ready')).status).toBe(200);
    } finally {
      await database.close();
    }
  });

  it('/ready is 503 with a reason when the database is unreachable, while /health stays 200', async () => {
    const database = await openDatabase({ engine: 'postgres', url: 'postgres://nobody@127.0.0.1:1/nothing' }, { poolSize: 1 });
    try {
      const yoga = serverOn(database.db);
      const ready = await yoga.fetch('http://test/ready');
      expect(ready.status).toBe(503);
      // The reason is public: it says what went wrong, never where the database is.
      expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'database unreachable: connection refused' });
      expect((await yoga.fetch('http://test/health')).status).toBe(200);
    } finally {
      await database.close();
    }
  });
});
