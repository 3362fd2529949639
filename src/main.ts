import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/connect.js';
import { MigrationError, migrateToLatest } from './db/migrate.js';
import { loadSeeds } from './db/seed.js';
import { readSeeds, SeedValidationError } from './db/seed-files.js';

/** How long requests in flight get to finish after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = pino({ level: config.logLevel, base: { service: 'crisis-kb' } });

try {
  // Opening first and importing the server (the schema, Yoga and its plugins)
  // without waiting: the embedded engine compiles its WebAssembly on other
  // threads while the schema is built and the seeds are read on this one.
  // Seeds are still checked before anything is migrated or loaded: a bad seed changes no data.
  const opening = openDatabase(config.database);
  const serverModule = import('./server.js');
  const seeds = readSeeds();
  const database = await opening;
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`);
  const seeded = await loadSeeds(database.db, seeds, 'if-empty', (message) => logger.info(`seeding ${message}`));
  if (seeded.status === 'loaded') logger.info({ counts: seeded.counts }, 'loaded the seeds into an empty knowledge base');
  if (seeded.status === 'other-data') {
    logger.warn({ counts: seeded.counts }, 'the knowledge base differs from seeds/; `npm run db:seed -- --reset` replaces it');
  }

  // One prefix for every key this service writes, so a shared Redis can hold other things too.
  const redis =
    config.redisUrl === null
      ? null
      : new Redis(config.redisUrl, {
          keyPrefix: 'crisis-kb:',
          lazyConnect: true,
          // While Redis is away, commands fail at once and requests go uncached, rather than wait for it.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
        });
  if (redis !== null) {
    redis.on('error', (error) => logger.warn({ err: error.message }, 'redis: %s', error.message));
    await redis.connect();
  }

  const { createServer } = await serverModule;
  const server = http.createServer(
    createServer({ db: database.db, logger, redis, persistedOperationsOnly: config.persistedOperationsOnly }),
  );
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/graphql`;

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const cut = setTimeout(() => {
      logger.warn(`requests still open after ${SHUTDOWN_GRACE_MS} ms; closing their connections`);
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
    await closed;
    clearTimeout(cut);
    await database.close();
    await redis?.quit();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Only once the handlers are in place: a supervisor that signals as soon as it reads this line must not find the default action (death).
  logger.info(
    { engine: database.engine, database: database.location, host: config.host, port, url },
    `serving GraphiQL at ${url} on ${database.engine} (${database.location})`,
  );
} catch (error) {
  // Bad seeds and an unreachable or failing database are reported as such; only a surprise needs its stack.
  const expected = error instanceof SeedValidationError || error instanceof MigrationError || (error as { code?: unknown }).code !== undefined;
  logger.fatal(expected ? {} : { err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
