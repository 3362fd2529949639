import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { parseFuzzyDate } from '../fuzzy-date.js';
import type { DB } from './database.js';
import type { CitationSeed, SeedSet } from './seed-files.js';

export type SeedMode =
  /** Load only into an empty knowledge base; leave anything else as it is. */
  | 'if-empty'
  /** Replace whatever the knowledge base holds with the seeds. */
  | 'reset';

export interface SeedResult {
  /** `loaded`: written now; `unchanged`: these seeds were already loaded; `other-data`: holds something else, untouched. */
  readonly status: 'loaded' | 'unchanged' | 'other-data';
  readonly counts: Readonly<Record<string, number>>;
}

/** Tables in the order they are emptied; the children of a row come before it. The generator empties the same ones. */
export const CONTENT_TABLES = [
  'citation',
  'claim_contradiction',
  'claim_subject',
  'claim',
  'measure_response',
  'measure',
  'participant',
  'event',
  'place',
  'affiliation',
  'actor_alias',
  'actor',
  'source_reference',
  'source',
  'seed_state',
] as const satisfies readonly (keyof DB)[];

const BATCH_ROWS = 1000;

/**
 * Writes the seeds in one transaction: a failure anywhere leaves the knowledge
 * base as it was. Safe to run from several instances at once (an advisory lock
 * serialises them) and twice in a row (the second finds the same digest).
 */
export async function loadSeeds(
  db: Kysely<DB>,
  seeds: SeedSet,
  mode: SeedMode,
  onProgress: (message: string) => void = () => {},
): Promise<SeedResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('crisis-kb:seeds'))`.execute(trx);
    const state = await trx.selectFrom('seed_state').select('digest').executeTakeFirst();
    if (mode === 'if-empty') {
      if (state?.digest === seeds.digest) return { status: 'unchanged', counts: await countRecords(trx) };
      if (state !== undefined || !(await isEmpty(trx))) return { status: 'other-data', counts: await countRecords(trx) };
    } else {
      onProgress('emptying the knowledge base');
      await sql`truncate ${sql.join(CONTENT_TABLES.map((table) => sql.table(table)))} restart identity`.execute(trx);
    }
    await writeSeeds(trx, seeds, onProgress);
    await trx.insertInto('seed_state').values({ digest: seeds.digest }).execute();
    return { status: 'loaded', counts: await countRecords(trx) };
  });
}

/** Row counts of the main tables, for logs and the CLI. */
export async function countRecords(db: Kysely<DB>): Promise<Record<string, number>> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('source').select(eb.fn.countAll<number>().as('n')).as('sources'),
      eb.selectFrom('actor').select(eb.fn.countAll<number>().as('n')).as('actors'),
      eb.selectFrom('place').select(eb.fn.countAll<number>().as('n')).as('places'),
      eb.selectFrom('event').select(eb.fn.countAll<number>().as('n')).as('events'),
      eb.selectFrom('measure').select(eb.fn.countAll<number>().as('n')).as('measures'),
      eb.selectFrom('measure_response').select(eb.fn.countAll<number>().as('n')).as('responseLinks'),
      eb.selectFrom('claim').select(eb.fn.countAll<number>().as('n')).as('claims'),
      eb.selectFrom('citation').select(eb.fn.countAll<number>().as('n')).as('citations'),
    ])
    .executeTakeFirstOrThrow();
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const counts = await countRecords(db);
  return Object.values(counts).every((n) => n === 0);
}

async function writeSeeds(trx: Transaction<DB>, seeds: SeedSet, onProgress: (message: string) => void): Promise<void> {
  const progress = (what: string, n: number) => onProgress(`${what}: ${n}`);

  const sourceIds = await insertReturningIds(
    trx,
    'source',
    seeds.sources.map((source) => {
      const published = source.publishedOn ? parseFuzzyDate(source.publishedOn) : null;
      return {
        slug: source.slug,
        kind: source.kind,
        title: source.title ?? null,
        author: source.author ?? null,
        publisher: source.publisher ?? null,
        url: source.url ?? null,
        published_earliest: published?.earliest ?? null,
        published_latest: published?.latest ?? null,
        published_precision: published?.precision ?? null,
        text: source.text,
        note: source.note ?? null,
      };
    }),
  );
  await insertRows(
    trx,
    'source_reference',
    seeds.sources.flatMap((source) =>
      source.cites.map((cited) => ({ citing_source_id: sourceIds.get(source.slug)!, cited_source_id: sourceIds.get(cited)! })),
    ),
  );
  progress('sources', sourceIds.size);

  // States first: every other actor's country is a state, so its id is known when the actor is written.
  const states = seeds.actors.filter((actor) => actor.kind === 'STATE');
  const others = seeds.actors.filter((actor) => actor.kind !== 'STATE');
  const actorIds = new Map<string, number>();
  for (const group of [states, others]) {
    const ids = await insertReturningIds(
      trx,
      'actor',
      group.map((actor) => ({
        slug: actor.slug,
        name: actor.name,
        kind: actor.kind,
        description: actor.description ?? null,
        country_id: actor.country ? actorIds.get(actor.country)! : null,
      })),
    );
    for (const [slug, id] of ids) actorIds.set(slug, id);
  }
  await insertRows(
    trx,
    'actor_alias',
    seeds.actors.flatMap((actor) => actor.aliases.map((alias, position) => ({ actor_id: actorIds.get(actor.slug)!, alias, position }))),
  );
  await insertRows(
    trx,
    'affiliation',
    seeds.actors.flatMap((actor) =>
      actor.affiliations.map(({ organization, role }) => ({
        member_id: actorIds.get(actor.slug)!,
        organization_id: actorIds.get(organization)!,
        role: role ?? null,
      })),
    ),
  );
  progress('actors', actorIds.size);

  const placeIds = await insertReturningIds(
    trx,
    'place',
    seeds.places.map((place) => ({ slug: place.slug, name: place.name, country_id: place.country ? actorIds.get(place.country)! : null })),
  );
  progress('places', placeIds.size);

  const eventIds = await insertReturningIds(
    trx,
    'event',
    seeds.events.map((event) => {
      const date = parseFuzzyDate(event.date)!;
      return {
        slug: event.slug,
        title: event.title,
        summary: event.summary,
        category: event.category,
        date_earliest: date.earliest,
        date_latest: date.latest,
        date_precision: date.precision,
        place_id: event.place ? placeIds.get(event.place)! : null,
        fatalities: event.fatalities ?? null,
        injured: event.injured ?? null,
        note: event.note ?? null,
        attestation: event.attestation,
      };
    }),
  );
  await insertRows(
    trx,
    'participant',
    seeds.events.flatMap((event) =>
      event.participants.map(({ actor, role, note }, position) => ({
        event_id: eventIds.get(event.slug)!,
        actor_id: actorIds.get(actor)!,
        role,
        note: note ?? null,
        position,
      })),
    ),
  );
  progress('events', eventIds.size);

  const measureSeeds = seeds.events.flatMap((event) => (event.measure ? [{ slug: event.slug, measure: event.measure }] : []));
  const measureIdsByEventId = await insertReturningIds(
    trx,
    'measure',
    measureSeeds.map(({ slug, measure }) => ({
      event_id: eventIds.get(slug)!,
      kind: measure.kind,
      initiator_id: actorIds.get(measure.initiator)!,
      target_id: actorIds.get(measure.target)!,
    })),
    'event_id',
  );
  // A measure is its event's retaliatory side, so seeds name it by its event's slug.
  const measureIds = new Map(measureSeeds.map(({ slug }) => [slug, measureIdsByEventId.get(String(eventIds.get(slug)))!]));
  const links = measureSeeds.flatMap(({ slug, measure }) =>
    measure.inResponseTo.map((link) => ({
      link,
      row: {
        measure_id: measureIds.get(slug)!,
        event_id: eventIds.get(link.event)!,
        attestation: link.attestation,
        asserted_by_id: link.assertedBy ? actorIds.get(link.assertedBy)! : null,
      },
    })),
  );
  // A link is keyed by its measure and the event it answers; the validator allows one link per pair.
  const linkIds = new Map<string, number>();
  for (let start = 0; start < links.length; start += BATCH_ROWS) {
    const inserted = await trx
      .insertInto('measure_response')
      .values(links.slice(start, start + BATCH_ROWS).map(({ row }) => row))
      .returning(['id', 'measure_id', 'event_id'])
      .execute();
    for (const row of inserted) linkIds.set(`${row.measure_id}:${row.event_id}`, row.id);
  }
  progress('measures', measureIds.size);

  const claimIds = await insertReturningIds(
    trx,
    'claim',
    seeds.claims.map((claim) => ({
      slug: claim.slug,
      statement: claim.statement,
      claimant_id: claim.claimant ? actorIds.get(claim.claimant)! : null,
      note: claim.note ?? null,
    })),
  );
  await insertRows(
    trx,
    'claim_subject',
    seeds.claims.flatMap((claim) => claim.about.map((about) => ({ claim_id: claimIds.get(claim.slug)!, event_id: eventIds.get(about)! }))),
  );
  // Contradiction is symmetric: store each pair both ways, once, whichever side listed it.
  const contradictions = new Map<string, { claim_id: number; contradicting_claim_id: number }>();
  for (const claim of seeds.claims) {
    for (const other of claim.contradicts) {
      const [a, b] = [claimIds.get(claim.slug)!, claimIds.get(other)!];
      contradictions.set(`${a}:${b}`, { claim_id: a, contradicting_claim_id: b });
      contradictions.set(`${b}:${a}`, { claim_id: b, contradicting_claim_id: a });
    }
  }
  await insertRows(trx, 'claim_contradiction', [...contradictions.values()]);
  progress('claims', claimIds.size);

  const citation = (list: readonly CitationSeed[], subject: Partial<Insertable<DB['citation']>>) =>
    list.map(({ source, quote }) => ({ source_id: sourceIds.get(source)!, quote, ...subject }));
  const citations = [
    ...seeds.sources.flatMap((s) => citation(s.citations, { subject_source_id: sourceIds.get(s.slug)! })),
    ...seeds.actors.flatMap((a) => citation(a.citations, { subject_actor_id: actorIds.get(a.slug)! })),
    ...seeds.events.flatMap((e) => citation(e.citations, { subject_event_id: eventIds.get(e.slug)! })),
    ...measureSeeds.flatMap(({ slug, measure }) => citation(measure.citations, { subject_measure_id: measureIds.get(slug)! })),
    ...links.flatMap(({ link, row }) => citation(link.citations, { subject_response_id: linkIds.get(`${row.measure_id}:${row.event_id}`)! })),
    ...seeds.claims.flatMap((c) => citation(c.citations, { subject_claim_id: claimIds.get(c.slug)! })),
  ];
  await insertRows(trx, 'citation', citations);
  progress('citations', citations.length);
}

type TableWithId = 'source' | 'actor' | 'place' | 'event' | 'measure' | 'claim';

/** Inserts rows in batches; returns each row's id by the value of its natural key column. */
async function insertReturningIds<T extends TableWithId, K extends keyof DB[T] & string>(
  trx: Transaction<DB>,
  table: T,
  rows: Insertable<DB[T]>[],
  key: K = 'slug' as K,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    // Type escape: Kysely cannot type a column chosen by a generic key; the row shape is fixed by this select.
    const inserted: { id: number; key: string | number }[] = await (trx as Transaction<any>)
      .insertInto(table)
      .values(rows.slice(start, start + BATCH_ROWS))
      .returning(['id', sql.ref<string | number>(key).as('key')])
      .execute();
    for (const row of inserted) ids.set(String(row.key), row.id);
  }
  return ids;
}

async function insertRows<T extends keyof DB>(trx: Transaction<DB>, table: T, rows: Insertable<DB[T]>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    await trx
      .insertInto(table)
      .values(rows.slice(start, start + BATCH_ROWS) as never)
      .execute();
  }
}
