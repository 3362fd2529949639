import type { ExecutionResult } from 'graphql';
import { pino } from 'pino';
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
  close(): Promise<void>;
}

/** The real server over a private copy of the seeded knowledge base, recording the SQL it runs. */
export async function openTestServer(): Promise<TestServer> {
  const statements: string[] = [];
  const database = await openSeededDatabase({
    log: (event) => {
      if (event.level === 'query') statements.push(event.query.sql);
    },
  });
  const yoga = createServer({ db: database.db, logger: pino({ level: 'silent' }) });
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
    close: () => database.close(),
  };
}

/** The data of a result that must have no errors; fails the test with the errors otherwise. */
export function dataOf<Data>(result: ExecutionResult<Data>): Data {
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data!;
}
