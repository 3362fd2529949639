import type { ExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/connect.js';
import { createServer } from '../../src/server.js';
import { openSeededDatabase } from './test-database.js';

export interface TestServer {
  readonly database: Database;
  /** Runs an operation through Yoga's HTTP handler, without a port. */
  query<Data = any>(query: string, variables?: Record<string, unknown>, operationName?: string): Promise<ExecutionResult<Data> & { status: number }>;
  /** SQL statements run since the last `resetStatements()`. */
  readonly statements: string[];
  resetStatements(): void;
  /** Any HTTP request, as from the client at `ip` (Yoga's Node adapter gives the socket as `req`). */
  fetch(path: string, init?: RequestInit, ip?: string): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Environment variables for this server's configuration, over the defaults. */
  readonly env?: Record<string, string>;
  readonly redis?: Redis | null;
  /** Another server over the same database, to stand for a second instance. */
  readonly database?: Database;
}

/** The real server over a private copy of the seeded knowledge base, recording the SQL it runs. */
export async function openTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const statements: string[] = [];
  const database =
    options.database ??
    (await openSeededDatabase({
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    }));
  const yoga = createServer({ db: database.db, logger: pino({ level: 'silent' }), config: loadConfig(options.env ?? {}), redis: options.redis ?? null });
  return {
    database,
    statements,
    resetStatements: () => void statements.splice(0),
    async query(query, variables, operationName) {
      const response = await yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables, operationName }),
      });
      return { status: response.status, ...((await response.json()) as ExecutionResult<any>) };
    },
    fetch: (path, init, ip) => Promise.resolve(yoga.fetch(`http://test${path}`, init ?? {}, ip === undefined ? {} : { req: { socket: { remoteAddress: ip } } })),
    close: () => (options.database ? Promise.resolve() : database.close()),
  };
}

/** The data of a result that must have no errors; fails the test with the errors otherwise. */
export function dataOf<Data>(result: ExecutionResult<Data>): Data {
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data!;
}
