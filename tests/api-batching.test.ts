import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, openTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  // Pages of 50 events for each of 100 actors cost more than a client may ask for by default.
  server = await openTestServer({ env: { MAX_COST: '100000' } });
});
afterAll(() => server?.close());

/** Whether a statement looks one of these tables' records up by id, as their loaders do (`id = any($1)`). */
const lookupById =
  (...tables: string[]) =>
  (statement: string) =>
    tables.some((table) => statement.includes(`from "${table}" where "${table}"."id" = any(`));

async function statementsFor(query: string): Promise<string[]> {
  server.resetStatements();
  dataOf(await server.query(query));
  return [...server.statements];
}

describe('batching: statements follow the depth of a query, not its page sizes', () => {
  it('runs the same few statements for 5 events as for 50', async () => {
    const nested = (first: number) => `{
      events(first: ${first}) {
        nodes {
          participants { actor { affiliations { organization { name } } } }
          citations { source { title } }
          measure { initiator { name } }
        }
      }
    }`;
    const few = await statementsFor(nested(5));
    const many = await statementsFor(nested(50));
    // Participants bring their actors' countries, primed into the actor loader: when every organisation
    // asked for is also such a country (as for 5 events here), its statement is saved.
    expect(few.length).toBeLessThanOrEqual(many.length);
    // events, participants (with actors and countries), affiliations, organisations (actors), citations (with sources), measures, initiators.
    expect(many.length).toBeLessThanOrEqual(7);
  });

  it("the timeline's shape: participants come with their actors and countries, citations with their sources", async () => {
    const statements = await statementsFor(`{
      events(first: 50, filter: { from: "2024-01-01", to: "2025-12-31" }) {
        totalCount
        nodes { title participants { role actor { name country { name } } } citations { quote source { title } } }
      }
    }`);
    // The page and its count; participants (with actors and countries) and citations (with sources): two rounds.
    expect(statements).toHaveLength(4);
    // No lookup of actors or sources by id of their own.
    expect(statements.filter(lookupById('actor', 'source'))).toEqual([]);

    // The joined rows are the records' own: each agrees with the record looked up alone.
    const { event } = dataOf(await server.query(`{ event(slug: "yekaterinburg-arrests") { citations { source { id title kind url } } } }`)) as any;
    for (const { source } of event.citations) {
      const { node } = dataOf(await server.query(`query($id: ID!) { node(id: $id) { ... on Source { id title kind url } } }`, { id: source.id })) as any;
      expect(node).toEqual(source);
    }
    const { events } = dataOf(await server.query(`{ events(first: 50) { nodes { participants { actor { id country { name } } } } } }`)) as any;
    const pairs = new Map<string, string | null>(events.nodes.flatMap((event: any) => event.participants.map((p: any) => [p.actor.id, p.actor.country?.name ?? null])));
    expect([...pairs.values()].filter((name) => name !== null).length).toBeGreaterThan(0);
    for (const [id, country] of pairs) {
      const { node } = dataOf(await server.query(`query($id: ID!) { node(id: $id) { ... on Actor { country { name } } } }`, { id })) as any;
      expect(node.country?.name ?? null).toBe(country);
    }
  });

  it("loads measures' response links, their events, who draws them and their passages in one statement each", async () => {
    const nested = (first: number) => `{
      measures(first: ${first}) {
        nodes {
          inResponseTo { title }
          responseLinks { attestation event { title } assertedBy { name } citations { quote source { title } } }
        }
      }
    }`;
    const few = await statementsFor(nested(2));
    const many = await statementsFor(nested(100));
    expect(many.length).toBe(few.length);
    // measures, links (shared by inResponseTo and responseLinks), events, actors, citations (with sources).
    expect(many.length).toBeLessThanOrEqual(5);
  });

  it('pages nested connections for every parent in one statement', async () => {
    const nested = (first: number) => `{
      actors(first: 100) {
        nodes {
          events(first: ${first}) { totalCount nodes { title } }
          measuresTaken(first: ${first}) { totalCount nodes { kind target { name } } }
          measuresReceived(first: ${first}) { totalCount }
        }
      }
      sources(first: 100) { nodes { citations(first: ${first}) { totalCount nodes { quote } } } }
    }`;
    const few = await statementsFor(nested(1));
    const many = await statementsFor(nested(50));
    expect(many.length).toBe(few.length);
    // actors, 3 pages and 3 counts, targets; sources, a page and a count.
    expect(many.length).toBeLessThanOrEqual(11);
  });

  it('looks records up by slug through the loaders nested fields use: one statement for many, none again by id', async () => {
    server.resetStatements();
    const data = dataOf(
      await server.query(`{
        a: event(slug: "cultural-center-closed") { slug measure { event { slug } } }
        b: event(slug: "pashayev-killing") { slug }
        missing: event(slug: "no-such-event") { slug }
      }`),
    );
    expect(data).toEqual({
      a: { slug: 'cultural-center-closed', measure: { event: { slug: 'cultural-center-closed' } } },
      b: { slug: 'pashayev-killing' },
      missing: null,
    });
    // The three slugs in one statement, the measure in another; the measure's event is the one found by slug.
    expect(server.statements).toHaveLength(2);
  });
});
