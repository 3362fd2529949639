import pino from 'pino';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadSeeds } from '../src/db/seed.js';
import { readSeeds } from '../src/db/seed-files.js';
import { createServer, EXAMPLE_OPERATIONS } from '../src/server.js';
const database = await openDatabase({ engine: 'pglite', dataDir: null });
await migrateToLatest(database.db);
await loadSeeds(database.db, readSeeds(), 'reset');
const yoga = createServer({ db: database.db, logger: pino({ level: 'silent' }) });
const out: Record<string, unknown> = {};
for (const name of process.argv.slice(2)) {
  const response = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: EXAMPLE_OPERATIONS, operationName: name }) });
  out[name] = await response.json();
}
console.log(JSON.stringify(out, null, 1));
await database.close();
