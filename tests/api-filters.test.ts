import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventSeed, readSeeds } from '../src/db/seed-files.js';
import { parseFuzzyDate } from '../src/fuzzy-date.js';
import { dataOf, openTestServer, type TestServer } from './helpers/test-server.js';

// The seed files are the oracle: every answer below is computed from them in
// plain TypeScript, independently of the SQL under test.
const seeds = readSeeds();
const measures = seeds.events.filter((event): event is EventSeed & { measure: NonNullable<EventSeed['measure']> } => !!event.measure);
let server: TestServer;
/** slug → global ID, per kind. */
const idOf = { actor: new Map<string, string>(), event: new Map<string, string>(), source: new Map<string, string>() };

beforeAll(async () => {
  server = await openTestServer();
  const data = dataOf(
    await server.query(`{
      actors(first: 100) { nodes { id slug } }
      events(first: 100) { nodes { id slug } }
      sources(first: 100) { nodes { id slug } }
    }`),
  );
  for (const kind of ['actor', 'event', 'source'] as const) {
    for (const { id, slug } of data[`${kind}s`].nodes) idOf[kind].set(slug, id);
  }
});
afterAll(() => server?.close());

const overlaps = (date: string, from?: string, to?: string) => {
  const { earliest, latest } = parseFuzzyDate(date)!;
  return (from === undefined || latest >= from) && (to === undefined || earliest <= to);
};
const citesSource = (event: EventSeed, source: string) =>
  [...event.citations, ...(event.measure?.citations ?? [])].some((citation) => citation.source === source);

async function slugsOf(field: 'events' | 'measures' | 'claims' | 'actors' | 'sources', filter: Record<string, unknown>): Promise<string[]> {
  const node = { events: 'slug', measures: 'event { slug }', claims: 'slug', actors: 'slug', sources: 'slug' }[field];
  const type = { events: 'EventFilter', measures: 'MeasureFilter', claims: 'ClaimFilter', actors: 'ActorFilter', sources: 'SourceFilter' }[field];
  const data = dataOf(await server.query(`query($filter: ${type}) { list: ${field}(filter: $filter, first: 100) { totalCount nodes { ${node} } } }`, { filter }));
  const slugs = data.list.nodes.map((n: any) => n.slug ?? n.event.slug);
  expect(data.list.totalCount).toBe(slugs.length);
  return slugs.sort();
}
const sorted = (slugs: string[]) => [...slugs].sort();

describe('event filters match the seeds, alone and combined', () => {
  it('by category', async () => {
    for (const category of new Set(seeds.events.map((event) => event.category))) {
      expect(await slugsOf('events', { category: [category] })).toEqual(sorted(seeds.events.filter((e) => e.category === category).map((e) => e.slug)));
    }
  });

  it('by date range, matching any event whose fuzzy date can fall in it', async () => {
    for (const [from, to] of [['2025-06-01', '2025-06-30'], ['2024-12-15', '2024-12-20'], [undefined, '2010-12-31'], ['2025-07-01', undefined], ['2025-06-28', '2025-06-28']] as const) {
      const expected = seeds.events.filter((e) => overlaps(e.date, from, to)).map((e) => e.slug);
      expect(await slugsOf('events', { from, to }), `${from}..${to}`).toEqual(sorted(expected));
    }
  });

  it('by precision of the date', async () => {
    const precisionOf = (date: string) => parseFuzzyDate(date)!.precision;
    for (const precision of ['DAY', 'MONTH', 'YEAR']) {
      expect(await slugsOf('events', { precision: [precision] })).toEqual(sorted(seeds.events.filter((e) => precisionOf(e.date) === precision).map((e) => e.slug)));
    }
    const expected = seeds.events.filter((e) => precisionOf(e.date) !== 'YEAR' && overlaps(e.date, '2025-06-01', '2025-07-31'));
    expect(await slugsOf('events', { precision: ['DAY', 'MONTH'], from: '2025-06-01', to: '2025-07-31' })).toEqual(sorted(expected.map((e) => e.slug)));
  });

  it('measures only, and everything else', async () => {
    expect(await slugsOf('events', { isMeasure: true })).toEqual(sorted(measures.map((e) => e.slug)));
    expect(await slugsOf('events', { isMeasure: false })).toEqual(sorted(seeds.events.filter((e) => !e.measure).map((e) => e.slug)));
  });

  it('by actor, and by actor in a role', async () => {
    for (const actor of seeds.actors) {
      const taking = seeds.events.filter((e) => e.participants.some((p) => p.actor === actor.slug));
      expect(await slugsOf('events', { actor: idOf.actor.get(actor.slug) }), actor.slug).toEqual(sorted(taking.map((e) => e.slug)));
      const initiating = taking.filter((e) => e.participants.some((p) => p.actor === actor.slug && p.role === 'INITIATOR'));
      expect(await slugsOf('events', { actor: idOf.actor.get(actor.slug), role: 'INITIATOR' }), actor.slug).toEqual(sorted(initiating.map((e) => e.slug)));
    }
  });

  it('by source cited', async () => {
    for (const source of seeds.sources.filter((s) => s.text !== null)) {
      const expected = seeds.events.filter((e) => citesSource(e, source.slug)).map((e) => e.slug);
      expect(await slugsOf('events', { source: idOf.source.get(source.slug) })).toEqual(sorted(expected));
    }
  });

  it('by attestation: what is only alleged, and what a source reports in its own voice', async () => {
    for (const attestation of ['ALLEGED', 'REPORTED'] as const) {
      const expected = seeds.events.filter((e) => e.attestation === attestation).map((e) => e.slug);
      expect(expected.length).toBeGreaterThan(0);
      expect(await slugsOf('events', { attestation: [attestation] })).toEqual(sorted(expected));
    }
    const allegedMeasures = measures.filter((e) => e.attestation === 'ALLEGED').map((e) => e.slug);
    expect(await slugsOf('events', { attestation: ['ALLEGED'], isMeasure: true })).toEqual(sorted(allegedMeasures));
  });

  it('by text, stemmed: every hit says it, every title that says it is a hit', async () => {
    const hits = await slugsOf('events', { text: 'arrests' });
    expect(hits.length).toBeGreaterThan(0);
    for (const slug of hits) {
      const event = seeds.events.find((e) => e.slug === slug)!;
      expect(`${event.title} ${event.summary}`.toLowerCase()).toMatch(/arrest/);
    }
    for (const event of seeds.events.filter((e) => /\barrest(s|ed)?\b/i.test(e.title))) expect(hits).toContain(event.slug);
  });

  it('combined the way a dashboard combines them', async () => {
    const from = '2025-06-01';
    const to = '2025-07-31';
    for (const isMeasure of [true, false]) {
      for (const category of new Set(seeds.events.map((e) => e.category))) {
        const expected = seeds.events.filter((e) => overlaps(e.date, from, to) && !!e.measure === isMeasure && e.category === category);
        expect(await slugsOf('events', { from, to, isMeasure, category: [category] })).toEqual(sorted(expected.map((e) => e.slug)));
      }
    }
  });
});

describe('measure, claim, actor and source filters match the seeds', () => {
  it('measures by initiator, target, kind, dates and what they answer', async () => {
    for (const actor of seeds.actors) {
      const id = idOf.actor.get(actor.slug);
      expect(await slugsOf('measures', { initiator: id })).toEqual(sorted(measures.filter((e) => e.measure.initiator === actor.slug).map((e) => e.slug)));
      expect(await slugsOf('measures', { target: id })).toEqual(sorted(measures.filter((e) => e.measure.target === actor.slug).map((e) => e.slug)));
    }
    for (const kind of new Set(measures.map((e) => e.measure.kind))) {
      expect(await slugsOf('measures', { kind: [kind], from: '2025-01-01' })).toEqual(
        sorted(measures.filter((e) => e.measure.kind === kind && overlaps(e.date, '2025-01-01')).map((e) => e.slug)),
      );
    }
    for (const answered of new Set(measures.flatMap((e) => e.measure.inResponseTo.map((link) => link.event)))) {
      expect(await slugsOf('measures', { inResponseTo: idOf.event.get(answered) })).toEqual(
        sorted(measures.filter((e) => e.measure.inResponseTo.some((link) => link.event === answered)).map((e) => e.slug)),
      );
    }
  });

  it("measures' response links: who draws each, how far it is vouched for, its passages; inResponseTo lists the same events", async () => {
    const data = dataOf(
      // 50 holds every seeded measure, and keeps this nested read under the default MAX_COST.
      await server.query(`{
        measures(first: 50) {
          nodes {
            event { slug }
            inResponseTo { slug }
            responseLinks {
              event { slug }
              attestation
              assertedBy { slug }
              citations { quote source { slug } subject { ... on RetaliatoryMeasure { event { slug } } } }
            }
          }
        }
      }`),
    );
    expect(measures.length).toBeLessThan(50);
    expect(data.measures.nodes.map((m: any) => m.event.slug).sort()).toEqual(sorted(measures.map((e) => e.slug)));
    for (const node of data.measures.nodes) {
      const seed = measures.find((e) => e.slug === node.event.slug)!;
      const links = node.responseLinks.map((link: any) => ({
        event: link.event.slug,
        attestation: link.attestation,
        assertedBy: link.assertedBy?.slug ?? null,
        citations: link.citations.map((c: any) => ({ source: c.source.slug, quote: c.quote })),
      }));
      const byEvent = (a: { event: string }, b: { event: string }) => (a.event < b.event ? -1 : 1);
      expect([...links].sort(byEvent), seed.slug).toEqual(
        seed.measure.inResponseTo.map((link) => ({ event: link.event, attestation: link.attestation, assertedBy: link.assertedBy ?? null, citations: link.citations })).sort(byEvent),
      );
      expect(node.inResponseTo.map((e: any) => e.slug)).toEqual(links.map((link: any) => link.event));
      // A passage that draws a link supports the link's measure.
      for (const link of node.responseLinks) for (const citation of link.citations) expect(citation.subject.event.slug).toBe(seed.slug);
    }
  });

  it('measures by the state behind initiator and target', async () => {
    const stateOf = (slug: string) => {
      const actor = seeds.actors.find((a) => a.slug === slug)!;
      return actor.kind === 'STATE' ? actor.slug : actor.country ?? null;
    };
    for (const state of seeds.actors.filter((a) => a.kind === 'STATE')) {
      const id = idOf.actor.get(state.slug);
      expect(await slugsOf('measures', { initiatorState: id })).toEqual(sorted(measures.filter((e) => stateOf(e.measure.initiator) === state.slug).map((e) => e.slug)));
      expect(await slugsOf('measures', { targetState: id })).toEqual(sorted(measures.filter((e) => stateOf(e.measure.target) === state.slug).map((e) => e.slug)));
    }
  });

  it('claims by claimant, subject and contest', async () => {
    const contradicted = new Set(seeds.claims.flatMap((c) => (c.contradicts.length > 0 ? [c.slug, ...c.contradicts] : [])));
    expect(await slugsOf('claims', { contested: true })).toEqual(sorted([...contradicted]));
    expect(await slugsOf('claims', { contested: false })).toEqual(sorted(seeds.claims.filter((c) => !contradicted.has(c.slug)).map((c) => c.slug)));
    for (const claimant of new Set(seeds.claims.flatMap((c) => (c.claimant ? [c.claimant] : [])))) {
      expect(await slugsOf('claims', { claimant: idOf.actor.get(claimant) })).toEqual(sorted(seeds.claims.filter((c) => c.claimant === claimant).map((c) => c.slug)));
    }
    for (const about of new Set(seeds.claims.flatMap((c) => c.about))) {
      expect(await slugsOf('claims', { about: idOf.event.get(about), contested: true })).toEqual(
        sorted(seeds.claims.filter((c) => c.about.includes(about) && contradicted.has(c.slug)).map((c) => c.slug)),
      );
    }
  });

  it('actors by kind, country and any part of a name or alias', async () => {
    for (const kind of new Set(seeds.actors.map((a) => a.kind))) {
      expect(await slugsOf('actors', { kind: [kind] })).toEqual(sorted(seeds.actors.filter((a) => a.kind === kind).map((a) => a.slug)));
    }
    for (const country of new Set(seeds.actors.flatMap((a) => (a.country ? [a.country] : [])))) {
      expect(await slugsOf('actors', { country: idOf.actor.get(country) })).toEqual(sorted(seeds.actors.filter((a) => a.country === country).map((a) => a.slug)));
    }
    for (const part of ['BELOUS', 'sputnik', 'ministry']) {
      const expected = seeds.actors.filter((a) => [a.name, ...a.aliases].some((name) => name.toLowerCase().includes(part.toLowerCase())));
      expect(await slugsOf('actors', { name: part })).toEqual(sorted(expected.map((a) => a.slug)));
    }
  });

  it('sources by kind', async () => {
    for (const kind of new Set(seeds.sources.map((s) => s.kind))) {
      expect(await slugsOf('sources', { kind: [kind] })).toEqual(sorted(seeds.sources.filter((s) => s.kind === kind).map((s) => s.slug)));
    }
  });
});

describe('aggregates agree with the lists they chart', () => {
  const monthKey = (date: string) => (parseFuzzyDate(date)!.precision === 'YEAR' ? date.slice(0, 4) : date.slice(0, 7));
  const filters = [{}, { isMeasure: true }, { from: '2025-06-01', to: '2025-07-31' }, { category: ['LAW_ENFORCEMENT', 'DIPLOMATIC'] }, { precision: ['DAY'] }];

  it.each(filters)('eventCounts by CATEGORY, MONTH and ACTOR with filter %j', async (filter) => {
    const data = dataOf(
      await server.query(
        `query($filter: EventFilter) {
          total: events(filter: $filter) { totalCount }
          category: eventCounts(by: CATEGORY, filter: $filter) { key label count actor { id } }
          month: eventCounts(by: MONTH, filter: $filter) { key label count }
          actor: eventCounts(by: ACTOR, filter: $filter) { key label count actor { id name } }
        }`,
        { filter },
      ),
    );
    const sum = (buckets: { count: number }[]) => buckets.reduce((total, bucket) => total + bucket.count, 0);
    expect(sum(data.category)).toBe(data.total.totalCount);
    expect(sum(data.month)).toBe(data.total.totalCount);

    for (const bucket of data.category) {
      expect(bucket.actor).toBeNull();
      const list = dataOf(await server.query('query($filter: EventFilter) { events(filter: $filter) { totalCount } }', { filter: { ...filter, category: [bucket.key] } }));
      expect(bucket.count, bucket.key).toBe(list.events.totalCount);
    }
    const counts = data.category.map((bucket: { count: number }) => bucket.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const keys = data.month.map((bucket: { key: string }) => bucket.key);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    for (const bucket of data.month) {
      expect(bucket.count).toBeGreaterThan(0);
      expect(bucket.label).toMatch(/^(\d{4}|[A-Z][a-z]+ \d{4})$/);
    }

    for (const bucket of data.actor) {
      expect(bucket.key).toBe(bucket.actor.id);
      expect(bucket.label).toBe(bucket.actor.name);
      const list = dataOf(await server.query('query($filter: EventFilter) { events(filter: $filter) { totalCount } }', { filter: { ...filter, actor: bucket.key } }));
      expect(bucket.count, bucket.label).toBe(list.events.totalCount);
    }
  });

  it('eventCounts by MONTH keeps a year-only date as its year, never an invented month', async () => {
    const data = dataOf(await server.query('{ eventCounts(by: MONTH) { key count } }'));
    const expected = new Map<string, number>();
    for (const event of seeds.events) expected.set(monthKey(event.date), (expected.get(monthKey(event.date)) ?? 0) + 1);
    expect(new Map(data.eventCounts.map((bucket: { key: string; count: number }) => [bucket.key, bucket.count]))).toEqual(expected);
  });

  it.each(['INITIATOR', 'TARGET', 'INITIATOR_STATE', 'TARGET_STATE', 'KIND', 'MONTH'])('measureCounts by %s equal the measures lists', async (by) => {
    const filter = { from: '2024-01-01' };
    const data = dataOf(
      await server.query(`query($filter: MeasureFilter) { total: measures(filter: $filter) { totalCount } buckets: measureCounts(by: ${by}, filter: $filter) { key label count actor { id } } }`, {
        filter,
      }),
    );
    expect(data.buckets.reduce((total: number, bucket: { count: number }) => total + bucket.count, 0)).toBe(data.total.totalCount);
    for (const bucket of data.buckets) {
      const narrowed = {
        INITIATOR: { initiator: bucket.key },
        TARGET: { target: bucket.key },
        INITIATOR_STATE: { initiatorState: bucket.key },
        TARGET_STATE: { targetState: bucket.key },
        KIND: { kind: [bucket.key] },
      }[by as string];
      if (narrowed === undefined || bucket.key === 'NONE') continue;
      const list = dataOf(await server.query('query($filter: MeasureFilter) { measures(filter: $filter) { totalCount } }', { filter: { ...filter, ...narrowed } }));
      expect(bucket.count, bucket.key).toBe(list.measures.totalCount);
      expect(bucket.actor === null).toBe(by === 'KIND');
      if (by.endsWith('_STATE')) expect(bucket.actor).not.toBeNull();
    }
  });
});
