// The documents of the benchmarks' workloads that several of them send this server: pages of events,
// the timeline page and the `node` lookups.
import type pg from 'pg';

/** The ten events the benchmarks look up by `node`: spread over a million ids, the same for every seed. */
export const NODE_LOOKUP_IDS: readonly number[] = Array.from({ length: 10 }, (_, i) => 1 + ((i + 1) * 7919) % 1_000_000);

/** One request of `node` lookups of events, as this server's global ids (`Event:<id>`, base64url). */
export function nodeLookups(ids: readonly number[]): string {
  const globalId = (id: number) => Buffer.from(`Event:${id}`).toString('base64url');
  return `{ ${ids.map((id, i) => `n${i}: node(id: "${globalId(id)}") { id ... on Event { title date { precision earliest latest } } }`).join(' ')} }`;
}

/** The timeline page: 50 events that may fall in the range, with participants → actor → country, citations → source, and totalCount. */
export function timelinePage(from: string, to: string): string {
  return `{ events(first: 50, filter: { from: "${from}", to: "${to}" }) { totalCount nodes { id title date { precision earliest latest }
            participants { role actor { id name country { id name } } } citations { quote source { id title } } } } }`;
}

/** Twenty events by date, with their cursors; after `after` when given. */
export function eventsPage(after: string | null): string {
  return `{ events(first: 20${after ? `, after: "${after}"` : ''}) { edges { cursor node { id title date { precision earliest latest } } } pageInfo { hasNextPage } } }`;
}

/** The 500,000th event by date, where the deep page starts: its sort-key values and this server's cursor for it. */
export async function deepPageStart(database: pg.Client): Promise<{ earliest: string; latest: string; id: number; cursor: string }> {
  const { e, l, id } = (
    await database.query(`select id, date_earliest::text as e, date_latest::text as l from event order by date_earliest, date_latest, id offset 499999 limit 1`)
  ).rows[0];
  // The encoding src/schema/pagination.ts gives the events list's cursors.
  return { earliest: e, latest: l, id, cursor: Buffer.from(JSON.stringify(['events-DATE', e, l, id]), 'utf8').toString('base64url') };
}
