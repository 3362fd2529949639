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
import { createServer } from './server.js';

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
  // Seeds are checked before the database is touched: a bad seed changes nothing.
  const seeds = readSeeds();
  const database = await openDatabase(config.database);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ migrations: applied }, `applied ${applied.length} migration(s)`);
  const seeded = await loadSeeds(database.db, seeds, 'if-empty', (message) => logger.info(`seeding ${message}`));
  if (seeded.status === 'loaded') logger.info({ counts: seeded.counts }, 'loaded the seeds into an empty knowledge base');
  if (seeded.status === 'other-data') {
    logger.warn({ counts: seeded.counts }, 'the knowledge base differs from seeds/; `npm run db:seed -- --reset` replaces it');
  }

  // No offline queue: while Redis is away its commands fail at once, and the rate limiter counts in memory instead of waiting.
  const redis = config.redisUrl === null ? null : new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  let redisDown = false;
  redis?.on('error', (error) => {
    if (!redisDown) logger.warn({ err: error }, 'redis unavailable: rate limits are counted per instance until it is back');
    redisDown = true;
  });
  redis?.on('ready', () => {
    if (redisDown) logger.info('redis is back');
    redisDown = false;
  });
  const server = http.createServer(createServer({ db: database.db, logger, config, redis }));
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/graphql`;
  logger.info(
    { engine: database.engine, database: database.location, host: config.host, port, url },
    `serving GraphiQL at ${url} on ${database.engine} (${database.location})`,
  );

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
    redis?.disconnect();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  // Bad seeds and an unreachable or failing database are reported as such; only a surprise needs its stack.
  const expected = error instanceof SeedValidationError || error instanceof MigrationError || (error as { code?: unknown }).code !== undefined;
  logger.fatal(expected ? {} : { err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
