import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeeds } from '../src/db/seed-files.js';
import { dataOf, openTestServer, type TestServer } from './helpers/test-server.js';

const seeds = readSeeds();
const measureCount = seeds.events.filter((event) => event.measure).length;
let server: TestServer;

beforeAll(async () => {
  server = await openTestServer();
});
afterAll(() => server?.close());

interface Connection {
  totalCount: number;
  edges: { cursor: string; node: { id: string } }[];
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const PAGE = 'totalCount edges { cursor node { ... on Node { id } } } nodes { ... on Node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

/** Pages through a top-level list both ways, 3 at a time; returns the ids in forward order. */
async function pageBothWays(field: string, args: string): Promise<{ ids: string[]; totalCount: number }> {
  const run = async (pageArgs: string): Promise<Connection> => {
    const data = dataOf(await server.query(`{ list: ${field}(${[args, pageArgs].filter(Boolean).join(', ')}) { ${PAGE} } }`));
    const connection = data.list as Connection;
    expect(connection.nodes.map((node) => node.id)).toEqual(connection.edges.map((edge) => edge.node.id));
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
    return connection;
  };

  const forward: string[] = [];
  let page = await run('first: 3');
  expect(page.pageInfo.hasPreviousPage).toBe(false);
  forward.push(...page.nodes.map((node) => node.id));
  while (page.pageInfo.hasNextPage) {
    page = await run(`first: 3, after: "${page.pageInfo.endCursor}"`);
    expect(page.pageInfo.hasPreviousPage).toBe(true);
    forward.push(...page.nodes.map((node) => node.id));
  }

  const backward: string[] = [];
  page = await run('last: 3');
  expect(page.pageInfo.hasNextPage).toBe(false);
  backward.unshift(...page.nodes.map((node) => node.id));
  while (page.pageInfo.hasPreviousPage) {
    page = await run(`last: 3, before: "${page.pageInfo.startCursor}"`);
    backward.unshift(...page.nodes.map((node) => node.id));
  }

  expect(new Set(forward).size).toBe(forward.length);
  expect(backward).toEqual(forward);
  return { ids: forward, totalCount: page.totalCount };
}

describe('top-level connections page both ways, every record once', () => {
  it.each([
    ['events', '', seeds.events.length],
    ['events', 'orderBy: { field: DATE, direction: DESC }', seeds.events.length],
    ['events', 'orderBy: { field: TITLE, direction: ASC }', seeds.events.length],
    ['events', 'filter: { isMeasure: true }', measureCount],
    ['actors', '', seeds.actors.length],
    ['measures', '', measureCount],
    ['claims', '', seeds.claims.length],
    ['sources', '', seeds.sources.length],
  ])('%s(%s)', async (field, args, expected) => {
    const { ids, totalCount } = await pageBothWays(field, args);
    expect(ids).toHaveLength(expected);
    expect(totalCount).toBe(expected);
  });

  it('orders events by date, ascending and descending', async () => {
    const query = (direction: string) =>
      server.query(`{ events(first: 100, orderBy: { field: DATE, direction: ${direction} }) { nodes { date { earliest } } } }`);
    const ascending = dataOf(await query('ASC')).events.nodes.map((event: any) => event.date.earliest);
    const descending = dataOf(await query('DESC')).events.nodes.map((event: any) => event.date.earliest);
    expect(ascending).toEqual([...ascending].sort());
    expect(descending).toEqual([...ascending].reverse());
  });

  it('gives an empty page for first: 0 and an empty list past the end', async () => {
    const data = dataOf(await server.query(`{ events(first: 0) { ${PAGE} } }`));
    expect(data.events.nodes).toEqual([]);
    expect(data.events.totalCount).toBe(seeds.events.length);
    expect(data.events.pageInfo.hasNextPage).toBe(true);
  });
});

describe('nested connections page through everything they hold', () => {
  async function collect(query: (after: string | null) => string, pick: (data: any) => Connection): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const connection = pick(dataOf(await server.query(query(after))));
      ids.push(...connection.nodes.map((node) => node.id));
      if (!connection.pageInfo.hasNextPage) {
        expect(ids).toHaveLength(connection.totalCount);
        return ids;
      }
      after = connection.pageInfo.endCursor;
    }
  }
  const afterArg = (after: string | null) => (after === null ? '' : `, after: "${after}"`);

  it('Actor.events, measuresTaken and measuresReceived hold what the seeds say, for every actor', async () => {
    for (const actor of seeds.actors) {
      const events = await collect(
        (after) => `{ actor(slug: "${actor.slug}") { events(first: 2${afterArg(after)}) { ${PAGE} } } }`,
        (data) => data.actor.events,
      );
      const expected = seeds.events.filter((event) => event.participants.some((p) => p.actor === actor.slug));
      expect(new Set(events).size, actor.slug).toBe(expected.length);

      const taken = await collect(
        (after) => `{ actor(slug: "${actor.slug}") { measuresTaken(first: 2${afterArg(after)}) { ${PAGE} } } }`,
        (data) => data.actor.measuresTaken,
      );
      expect(taken.length, actor.slug).toBe(seeds.events.filter((event) => event.measure?.initiator === actor.slug).length);

      const received = await collect(
        (after) => `{ actor(slug: "${actor.slug}") { measuresReceived(first: 2${afterArg(after)}) { ${PAGE} } } }`,
        (data) => data.actor.measuresReceived,
      );
      expect(received.length, actor.slug).toBe(seeds.events.filter((event) => event.measure?.target === actor.slug).length);
    }
  });

  it('Actor.events with a role holds only events in that role', async () => {
    for (const actor of seeds.actors) {
      const data = dataOf(await server.query(`{ actor(slug: "${actor.slug}") { events(role: TARGET, first: 100) { totalCount } } }`));
      const expected = seeds.events.filter((event) => event.participants.some((p) => p.actor === actor.slug && p.role === 'TARGET'));
      expect(data.actor.events.totalCount, actor.slug).toBe(expected.length);
    }
  });

  it('Source.citations pages through every passage quoted from a source', async () => {
    const quotedFrom = (slug: string) =>
      [
        ...seeds.sources.flatMap((s) => s.citations),
        ...seeds.actors.flatMap((a) => a.citations),
        ...seeds.events.flatMap((e) => [...e.citations, ...(e.measure?.citations ?? [])]),
        ...seeds.events.flatMap((e) => e.measure?.inResponseTo.flatMap((link) => link.citations) ?? []),
        ...seeds.claims.flatMap((c) => c.citations),
      ].filter((citation) => citation.source === slug).length;
    for (const source of seeds.sources.filter((s) => s.text !== null)) {
      const data = dataOf(
        await server.query(`{ source(slug: "${source.slug}") { citations(first: 100) { totalCount nodes { quote } } } }`),
      );
      expect(data.source.citations.totalCount).toBe(quotedFrom(source.slug));
      let seen = 0;
      let after: string | null = null;
      for (;;) {
        const page: any = dataOf(
          await server.query(`{ source(slug: "${source.slug}") { citations(first: 7${afterArg(after)}) { nodes { quote } pageInfo { hasNextPage endCursor } } } }`),
        ).source.citations;
        seen += page.nodes.length;
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toBe(quotedFrom(source.slug));
    }
  });
});

describe('global IDs', () => {
  it('round-trip through node and nodes for every record, keeping order, null for unknown IDs', async () => {
    const data = dataOf(
      await server.query(`{
        events(first: 100) { nodes { id } }
        actors(first: 100) { nodes { id } }
        measures(first: 100) { nodes { id } }
        claims(first: 100) { nodes { id } }
        sources(first: 100) { nodes { id } }
      }`),
    );
    const ids: string[] = Object.values(data as Record<string, { nodes: { id: string }[] }>).flatMap((list) => list.nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(ids.length);

    const unknown = Buffer.from('Event:999999').toString('base64url');
    const asked = [...ids.slice().reverse(), unknown, 'not-an-id'];
    // nodes(ids) takes at most 100 IDs a request.
    const found: (string | null)[] = [];
    for (let start = 0; start < asked.length; start += 100) {
      const result = dataOf(await server.query('query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }', { ids: asked.slice(start, start + 100) }));
      found.push(...result.nodes.map((node: { id: string } | null) => node?.id ?? null));
    }
    expect(found).toEqual([...ids.slice().reverse(), null, null]);

    for (const id of ids.slice(0, 10)) {
      const single = dataOf(await server.query('query($id: ID!) { node(id: $id) { id } }', { id }));
      expect(single.node.id).toBe(id);
    }
    expect(dataOf(await server.query(`{ node(id: "${unknown}") { id } }`)).node).toBeNull();
  });

  it('lead from every citation to its subject and back', async () => {
    const data = dataOf(await server.query('{ events(first: 100) { nodes { id citations { subject { id __typename } } } } }'));
    for (const event of data.events.nodes) {
      expect(event.citations.length).toBeGreaterThan(0);
      for (const citation of event.citations) expect(citation.subject).toEqual({ id: event.id, __typename: 'Event' });
    }
  });
});
