import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeeds } from '../src/db/seed-files.js';
import { dataOf, openTestServer, type TestServer } from './helpers/test-server.js';

const seeds = readSeeds();
let server: TestServer;

beforeAll(async () => {
  server = await openTestServer();
});
afterAll(() => server?.close());

const RESULT = `__typename
  ... on Actor { slug name aliases }
  ... on Event { slug title }
  ... on RetaliatoryMeasure { event { slug } }
  ... on Claim { slug statement }
  ... on Source { slug url }`;

async function search(query: string, first = 10) {
  return dataOf(await server.query(`query($q: String!) { search(query: $q, first: ${first}) { totalCount nodes { ${RESULT} } } }`, { q: query })).search;
}

/** Drops one letter from a word: the kind of slip a person makes typing a name. */
const misspell = (name: string) => name.slice(0, -2) + name.slice(-1);

describe('search', () => {
  it('finds every person by a misspelt surname, among the best hits', async () => {
    // Given and family name: a person the documents name, not a role ('Azerbaijan’s ambassador in Moscow').
    for (const person of seeds.actors.filter((a) => a.kind === 'PERSON' && /^\S+ \S+$/.test(a.name))) {
      const surname = person.name.split(' ').at(-1)!;
      if (surname.length < 6) continue;
      const { nodes } = await search(misspell(surname));
      // Brothers share a surname: the best hit bears it, and the person is among the hits.
      expect(nodes[0], `${misspell(surname)} → ${person.name}`).toMatchObject({ __typename: 'Actor', name: expect.stringContaining(surname) });
      expect(nodes.map((n: { slug?: string }) => n.slug)).toContain(person.slug);
    }
  });

  it("finds an actor by any of its spellings, whatever its main name is", async () => {
    for (const actor of seeds.actors.filter((a) => a.aliases.length > 0)) {
      for (const name of [actor.name, ...actor.aliases]) {
        const { nodes } = await search(name);
        expect(nodes.map((n: { slug?: string }) => n.slug), name).toContain(actor.slug);
      }
    }
    const { nodes } = await search('Kartavyh');
    expect(nodes[0]).toMatchObject({ __typename: 'Actor', name: expect.stringContaining('Kartavykh') });
  });

  it('ranks every kind of record, titles above passages that merely mention a word', async () => {
    const { nodes, totalCount } = await search('Sputnik', 100);
    expect(totalCount).toBe(nodes.length);
    const kinds = new Set(nodes.map((n: { __typename: string }) => n.__typename));
    expect(kinds).toContain('Actor');
    expect(kinds).toContain('Event');
    const events = nodes.filter((n: { __typename: string }) => n.__typename === 'Event');
    const firstWithoutWord = events.findIndex((e: { title: string }) => !/sputnik/i.test(e.title));
    const lastWithWord = events.findLastIndex((e: { title: string }) => /sputnik/i.test(e.title));
    if (firstWithoutWord !== -1) expect(lastWithWord).toBeLessThan(firstWithoutWord);
  });

  it('pages through its ranking, every hit once', async () => {
    const all = await search('Azerbaijan', 100);
    expect(all.totalCount).toBeGreaterThan(5);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = dataOf(
        await server.query('query($after: String) { search(query: "Azerbaijan", first: 4, after: $after) { nodes { ... on Node { id } } pageInfo { hasNextPage endCursor } } }', { after }),
      ).search;
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(all.totalCount);
  });

  it('finds nothing, without error, for words the knowledge base lacks', async () => {
    expect((await search('photosynthesis')).totalCount).toBe(0);
  });
});
