import pg from 'pg';

/** Which engine this run tests, chosen by TEST_DATABASE_URL, and where its seeded template is. */
export type TestEngine =
  | { engine: 'pglite'; archive: string }
  | { engine: 'postgres'; serverUrl: string; runId: string; template: string };

/** The same server URL pointing at another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the server's own database (create/drop database cannot run in a transaction). */
export async function adminQuery(serverUrl: string, statement: string): Promise<Record<string, string>[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}
