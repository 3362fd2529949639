import type pg from 'pg';
import { CancellableClient } from './cancellation.js';

/**
 * How many distinct statement texts are prepared; later ones run unnamed. Our
 * queries come from a fixed set of code paths and filters (a few dozen texts;
 * lists are one array parameter, see `anyOf`), times the page sizes clients
 * use (a page's limit is in its text, see `fetchPage`), so this bounds only
 * what a client inventing filter combinations or page sizes could make each
 * connection keep.
 */
export const MAX_PREPARED_STATEMENTS = 500;

const names = new Map<string, string>();

/**
 * A pg client that names its statements (those with parameters, and single
 * selects), so Postgres parses each text once per connection, and plans it once when a generic plan serves as
 * well as the custom plans of its first five runs. On the timeline, parsing
 * and planning took about 2.3 ms of Postgres's time per request; named, the
 * page costs Postgres a fifth less CPU and serves 15–25% more requests
 * (bench/RESULTS.md). Kysely knows nothing of prepared statements and pg
 * prepares only a statement given a name, so the name is added here, where
 * the two meet. Off (DB_PREPARED_STATEMENTS=false) behind a pooler that cannot
 * keep them per client, such as PgBouncer in transaction mode before 1.21.
 */
export class PreparingClient extends CancellableClient {
  // pg's overloads again; only `query(text, values)`, Kysely's call, is named.
  override query(...args: any[]): any {
    const [text, values] = args;
    const name = typeof text === 'string' && Array.isArray(values) ? statementName(text, values) : undefined;
    if (name === undefined) return super.query(...args);
    return super.query({ name, text, values } satisfies pg.QueryConfig, ...args.slice(2));
  }
}

/**
 * A statement without parameters is named too when it is one `select`, such as a first page
 * (its limit is in the text). Any other such text stays on the simple protocol: only that runs a
 * text of several statements (a migration's), and `begin` or `commit` gains nothing from a name.
 */
function isOneSelect(text: string): boolean {
  return text.startsWith('select ') && !text.includes(';');
}

function statementName(text: string, values: readonly unknown[]): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED_STATEMENTS && (values.length > 0 || isOneSelect(text))) {
    names.set(text, (name = `kb${names.size}`));
  }
  return name;
}
