import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadConfigOrExit } from './config.js';
import { openDatabase } from './db/connect.js';
import { describeUnavailable } from './db/faults.js';
import { MigrationError } from './db/migrate.js';
import { seedDigest } from './db/seed-digest.js';
import type { SeedSet } from './db/seed-files.js';
import { SeedValidationError } from './db/seed-problems.js';
import { prepareDatabase, type SeedSource, StartupStatus } from './db/startup.js';
import { connectRedis } from './redis.js';

/** How long requests in flight get to finish after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

const config = loadConfigOrExit();

const logger = pino({ level: config.logLevel, base: { service: 'crisis-kb' } });

try {
  // Opening first and importing the server (the schema, Yoga and its plugins)
  // without waiting: the embedded engine compiles its WebAssembly on other
  // threads while the schema is built on this one.
  const opening = openDatabase(config.database, {
    timeouts: config.timeouts,
    onConnectionError: (error) =>
      logger.warn({ reason: describeUnavailable(error), cause: error.message }, 'a database connection broke; its query fails, the pool reconnects'),
  });
  const serverModule = import('./server.js');
  // The validator (YAML, zod) is imported only when the seeds must be loaded: a warm start compares digests and no more.
  let reading: Promise<SeedSet> | undefined;
  const seeds: SeedSource = {
    digest: seedDigest(),
    read: () => (reading ??= import('./db/seed-files.js').then(({ readSeeds }) => readSeeds())),
  };
  const database = await opening;
  const redis = config.redisUrl === null ? null : connectRedis(config.redisUrl, logger);

  // Listening comes first: with the database still down, /health answers, /ready says why not, operations get SERVICE_UNAVAILABLE.
  const startup = new StartupStatus();
  const { createServer } = await serverModule;
  const yoga = createServer({
    db: database.db,
    logger,
    startup,
    config,
    redis,
  });
  // Each request's handling, until its execution has ended: a client that hangs
  // up closes its connection long before its resolvers are done with the database.
  const inFlight = new Set<Promise<unknown>>();
  const server = http.createServer((request, response) => {
    const handling = Promise.resolve(yoga.httpListener(request, response));
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  });
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/graphql`;

  const preparing = new AbortController();
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    preparing.abort();
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const cut = setTimeout(() => {
      logger.warn(`requests still open after ${SHUTDOWN_GRACE_MS} ms; closing their connections`);
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
    await closed;
    // No connection left is not no request left: the database closes under none.
    const drained = await Promise.race([
      Promise.allSettled([...inFlight]).then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS, false).unref()),
    ]);
    if (!drained) logger.warn(`${inFlight.size} request(s) still running after ${SHUTDOWN_GRACE_MS} ms; closing the database under them`);
    clearTimeout(cut);
    await database.close();
    redis?.disconnect();
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

  const prepared = await prepareDatabase({ target: config.database, database, seeds, logger, status: startup, signal: preparing.signal }).then(
    () => true,
    (error: unknown) => {
      if (preparing.signal.aborted) return false; // shutting down: stop() exits
      throw error;
    },
  );
  if (prepared) logger.info({ ready: true }, 'ready: the knowledge base is migrated and seeded');
} catch (error) {
  // Bad seeds and an unreachable or failing database are reported as such; only a surprise needs its stack.
  const expected = error instanceof SeedValidationError || error instanceof MigrationError || (error as { code?: unknown }).code !== undefined;
  logger.fatal(expected ? {} : { err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
