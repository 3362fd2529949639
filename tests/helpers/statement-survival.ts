// Run by tests/statement-memory.test.ts in a child process, under V8 flags the
// test chooses: `statement-survival.ts URL pg|ours COUNT` sends COUNT statements
// of 20 rows one after another, through pg's own promise (`pg`) or through
// CancellableClient (`ours`). The test reads V8's --trace-gc-nvp lines from stdout.
import pg from 'pg';
import { CancellableClient } from '../../src/db/cancellation.js';

const [url, through, count] = process.argv.slice(2);
if (!url || (through !== 'pg' && through !== 'ours') || !count) throw new Error('usage: statement-survival.ts URL pg|ours COUNT');
const client = through === 'pg' ? new pg.Client({ connectionString: url }) : new CancellableClient({ connectionString: url });
await client.connect();
const text = `select i, md5(i::text) as digest, repeat('x', 300) as padding from generate_series(1, 20) as i`;
for (let i = 0; i < Number(count); i++) {
  const { rows } = await client.query(text);
  if (rows.length !== 20) throw new Error(`expected 20 rows, got ${rows.length}`);
}
await client.end();
console.log('done');
