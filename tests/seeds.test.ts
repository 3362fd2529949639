import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { countRecords, loadSeeds } from '../src/db/seed.js';
import { checkCoverage, splitSentences } from '../src/db/seed-coverage.js';
import { DEFAULT_SEEDS_DIR, seedDigest } from '../src/db/seed-digest.js';
import { collapseWhitespace, readSeeds } from '../src/db/seed-files.js';
import { type SeedProblem, SeedValidationError } from '../src/db/seed-problems.js';
import { openEmptyDatabase, openSeededDatabase } from './helpers/test-database.js';

const seeds = readSeeds();
const temporaryDirs: string[] = [];
afterAll(() => temporaryDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

type SeedFiles = Record<'sources' | 'actors' | 'places' | 'events' | 'claims', any[]>;

/** A copy of the real seeds with one change; returns the problems the validator (and, if asked, the coverage check) finds in it. */
function problemsAfter(change: (files: SeedFiles, dir: string) => void, { coverage = false } = {}): SeedProblem[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-seeds-'));
  temporaryDirs.push(dir);
  cpSync(DEFAULT_SEEDS_DIR, dir, { recursive: true });
  const files = Object.fromEntries(
    (['sources', 'actors', 'places', 'events', 'claims'] as const).map((kind) => [kind, parse(readFileSync(path.join(dir, `${kind}.yaml`), 'utf8'))]),
  ) as SeedFiles;
  change(files, dir);
  for (const [kind, records] of Object.entries(files)) {
    if (records !== undefined) writeFileSync(path.join(dir, `${kind}.yaml`), stringify(records));
  }
  try {
    const changed = readSeeds(dir);
    if (coverage) return [...checkCoverage(changed, dir).problems];
  } catch (error) {
    expect(error).toBeInstanceOf(SeedValidationError);
    return [...(error as SeedValidationError).problems];
  }
  return [];
}

const withParticipants = (files: SeedFiles) => files.events.find((event) => event.participants?.length > 0);

describe('the seed validator', () => {
  it('accepts the seeds as shipped, every record cited, every quote found', () => {
    for (const kind of ['sources', 'actors', 'events', 'claims'] as const) expect(seeds[kind].length).toBeGreaterThan(0);
    const texts = new Map(seeds.sources.map((source) => [source.slug, source.text && collapseWhitespace(source.text)]));
    const citations = [
      ...seeds.sources.flatMap((s) => s.citations),
      ...seeds.actors.flatMap((a) => a.citations),
      ...seeds.events.flatMap((e) => [...e.citations, ...(e.measure?.citations ?? [])]),
      ...seeds.events.flatMap((e) => e.measure?.inResponseTo.flatMap((link) => link.citations) ?? []),
      ...seeds.claims.flatMap((c) => c.citations),
    ];
    for (const { source, quote } of citations) expect(texts.get(source)).toContain(collapseWhitespace(quote));
  });

  it('names file, record and field of an unknown slug reference', () => {
    const problems = problemsAfter((files) => {
      withParticipants(files).participants[0].actor = 'nobody-at-all';
    });
    expect(problems).toEqual([
      expect.objectContaining({ file: 'events.yaml', field: 'participants[0].actor', message: "unknown actor 'nobody-at-all'" }),
    ]);
  });

  it('refuses a text file outside documents/, which the seed digest would not cover', () => {
    const problems = problemsAfter((files) => {
      files.sources.find((source) => source.textFile).textFile = 'documents/../events.yaml';
    });
    // (Its citations then have no text to be found in: those problems follow.)
    expect(problems[0]).toMatchObject({ file: 'sources.yaml', field: 'textFile', message: expect.stringContaining('must name a file in documents/') });
  });

  it('changes the digest when a single byte of a document changes, and only then', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-seeds-'));
    temporaryDirs.push(dir);
    cpSync(DEFAULT_SEEDS_DIR, dir, { recursive: true });
    expect(seedDigest(dir)).toBe(seeds.digest);
    const document = path.join(dir, seeds.sources.find((source) => source.textFile)!.textFile!);
    writeFileSync(document, `${readFileSync(document, 'utf8')}\n`);
    expect(seedDigest(dir)).not.toBe(seeds.digest);
    expect(readSeeds(dir).digest).toBe(seedDigest(dir));
  });

  it('finds a duplicate slug', () => {
    const problems = problemsAfter((files) => {
      files.actors.push({ ...files.actors[0], name: 'A Name Nobody Has', aliases: [] });
    });
    expect(problems).toEqual([expect.objectContaining({ file: 'actors.yaml', record: seeds.actors[0]!.slug, field: 'slug', message: 'duplicate slug' })]);
  });

  it('finds one name given to two actors, whatever its case', () => {
    const problems = problemsAfter((files) => {
      files.actors[1].aliases = [...(files.actors[1].aliases ?? []), files.actors[0].name.toUpperCase()];
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'actors.yaml', record: seeds.actors[1]!.slug });
    expect(problems[0]!.message).toMatch(/already a name of actor/);
  });

  it.each([
    ['2025-02-30', 'a day that does not exist'],
    ['June 2025', 'a date in words'],
    ['2025-6', 'an unpadded month'],
  ])('refuses the date %s (%s)', (date) => {
    const problems = problemsAfter((files) => {
      files.events[0].date = date;
    });
    expect(problems).toEqual([expect.objectContaining({ file: 'events.yaml', record: seeds.events[0]!.slug, field: 'date' })]);
  });

  it('refuses a date that is not a quoted string', () => {
    const problems = problemsAfter((files) => {
      files.events[0].date = 2001;
    });
    expect(problems[0]).toMatchObject({ field: 'date', message: expect.stringMatching(/quoted string/) });
  });

  it('refuses an unknown enum value', () => {
    const problems = problemsAfter((files) => {
      files.events[0].category = 'RIOT';
    });
    expect(problems).toEqual([expect.objectContaining({ file: 'events.yaml', record: seeds.events[0]!.slug, field: 'category' })]);
  });

  it('refuses a quote that is not in its source', () => {
    const problems = problemsAfter((files) => {
      files.claims[0].citations[0].quote += ' and something the source never said';
    });
    expect(problems).toEqual([expect.objectContaining({ file: 'claims.yaml', record: seeds.claims[0]!.slug, field: 'citations[0].quote' })]);
  });

  it('refuses a record with no citation', () => {
    const problems = problemsAfter((files) => {
      files.actors[0].citations = [];
    });
    expect(problems).toEqual([expect.objectContaining({ file: 'actors.yaml', field: 'citations', message: 'every record needs at least one citation' })]);
  });

  it('refuses an unknown field, such as a misspelt one', () => {
    const problems = problemsAfter((files) => {
      files.events[0].fatalites = 3;
    });
    expect(problems[0]).toMatchObject({ file: 'events.yaml', record: seeds.events[0]!.slug });
    expect(problems[0]!.message).toMatch(/fatalites/);
  });

  it('refuses a negative count, a country that is not a state and a measure answering itself', () => {
    const problems = problemsAfter((files) => {
      files.events[0].injured = -1;
      const person = files.actors.find((actor) => actor.kind === 'PERSON');
      person.country = files.actors.find((actor) => actor.kind !== 'STATE' && actor !== person).slug;
      const measure = files.events.find((event) => event.measure);
      measure.measure.inResponseTo[0].event = measure.slug;
    });
    expect(problems.map((problem) => problem.field).sort()).toEqual(['country', 'injured', 'measure.inResponseTo[0].event']);
  });

  it('refuses a response link without the passage that draws it, and a measure without a link', () => {
    const [first, second] = seeds.events.filter((event) => event.measure);
    const problems = problemsAfter((files) => {
      files.events.find((event) => event.slug === first!.slug).measure.inResponseTo[0].citations = [];
      files.events.find((event) => event.slug === second!.slug).measure.inResponseTo = [];
    });
    expect(problems).toEqual([
      expect.objectContaining({ record: first!.slug, field: 'measure.inResponseTo[0].citations', message: 'a link needs the passage that draws it' }),
      expect.objectContaining({ record: second!.slug, field: 'measure.inResponseTo', message: expect.stringMatching(/answers at least one event/) }),
    ]);
  });

  it('refuses a link drawn by a party that is not ALLEGED, and an ALLEGED event no claim asserts', () => {
    const partyLink = seeds.events.find((event) => event.measure?.inResponseTo.some((link) => link.assertedBy));
    const reported = seeds.events.find((event) => event.attestation === 'REPORTED' && !seeds.claims.some((claim) => claim.about.includes(event.slug)));
    const problems = problemsAfter((files) => {
      files.events.find((event) => event.slug === partyLink!.slug).measure.inResponseTo.find((link: any) => link.assertedBy).attestation = 'REPORTED';
      files.events.find((event) => event.slug === reported!.slug).attestation = 'ALLEGED';
    });
    // A party's link here is also drawn only by the opinion piece, which the validator says too.
    expect(problems.map(({ record, message }) => `${record}: ${message}`)).toEqual(
      expect.arrayContaining([
        `${reported!.slug}: an ALLEGED event needs the claims that assert it (a claim whose \`about\` lists it)`,
        `${partyLink!.slug}: a link drawn only by a party (assertedBy) is ALLEGED`,
      ]),
    );
    expect(problems.every(({ record }) => record === reported!.slug || record === partyLink!.slug)).toBe(true);
  });

  it('refuses to report as fact what only an opinion piece asserts', () => {
    const opinionOnly = seeds.events.find((event) => event.attestation === 'ALLEGED' && event.citations.every((c) => c.source === 'yekaterinburg-test'));
    const problems = problemsAfter((files) => {
      files.events.find((event) => event.slug === opinionOnly!.slug).attestation = 'REPORTED';
    });
    expect(problems).toEqual([expect.objectContaining({ record: opinionOnly!.slug, field: 'attestation', message: 'only an opinion piece reports it: it is ALLEGED' })]);
  });

  describe('hedge preservation', () => {
    it('names the record and the word when an event drops the hedge of the passage it cites', () => {
      const hedged = seeds.events.find((event) => event.slug === 'aliyev-skips-victory-day')!;
      expect(hedged.summary).toMatch(/reportedly/);
      const problems = problemsAfter((files) => {
        const event = files.events.find((e) => e.slug === hedged.slug);
        event.summary = event.summary.replace('reportedly ', '');
      });
      expect(problems).toEqual([
        expect.objectContaining({ file: 'events.yaml', record: hedged.slug, field: 'citations[0]', message: expect.stringMatching(/hedged with 'reportedly'/) }),
      ]);
    });

    it('names the record and the word when a hedged link is made REPORTED', () => {
      const problems = problemsAfter((files) => {
        files.events.find((e) => e.slug === 'cultural-center-closed').measure.inResponseTo[0].attestation = 'REPORTED';
      });
      expect(problems).toEqual([
        expect.objectContaining({ record: 'cultural-center-closed', field: 'measure.inResponseTo[0].citations[0]', message: expect.stringMatching(/hedged with 'seen as'.*ALLEGED/) }),
      ]);
    });

    it('names the record and the word when a claim on a hedged passage loses its claimant', () => {
      const problems = problemsAfter((files) => {
        delete files.claims.find((c) => c.slug === 'crash-air-defence-fire').claimant;
      });
      expect(problems).toEqual([
        expect.objectContaining({ file: 'claims.yaml', record: 'crash-air-defence-fire', message: expect.stringMatching(/hedged with 'appeared to'.*claimant/) }),
      ]);
    });
  });

  describe('coverage of the documents', () => {
    it('covers every sentence of both documents as shipped, each cited or skipped with a reason', () => {
      const { sentences, problems } = checkCoverage(seeds);
      expect(problems).toEqual([]);
      expect(new Set(sentences.map((s) => s.source))).toEqual(new Set(['yekaterinburg-test', 'moscow-times-unravel']));
      expect(sentences.length).toBeGreaterThan(100);
      for (const sentence of sentences) expect(sentence.covered || sentence.skipped !== null, sentence.text).toBe(true);
    });

    it('names a sentence no record cites any more', () => {
      const problems = problemsAfter(
        (files) => {
          files.claims.find((c) => c.slug === 'deaths-falsified').citations = [{ source: 'yekaterinburg-test', quote: 'Forensic examinations conducted in Baku' }];
        },
        { coverage: true },
      );
      expect(problems).toEqual([
        expect.objectContaining({ file: 'coverage.yaml', record: 'yekaterinburg-test', message: expect.stringContaining('"Such falsification of forensic data is rare to encounter."') }),
      ]);
    });

    it('refuses a skip entry that names no sentence', () => {
      const problems = problemsAfter(
        (_files, dir) => {
          const file = path.join(dir, 'coverage.yaml');
          const config = parse(readFileSync(file, 'utf8'));
          config.skip.push({ source: 'moscow-times-unravel', sentence: 'A sentence the article never wrote.', reason: 'none' });
          writeFileSync(file, stringify(config));
        },
        { coverage: true },
      );
      expect(problems).toEqual([expect.objectContaining({ file: 'coverage.yaml', message: expect.stringMatching(/no sentence of 'moscow-times-unravel' reads/) })]);
    });

    it('splits wrapped text at sentence ends, short lines and cited addresses, not at wraps', () => {
      const text = 'Heading here\nA long first sentence that wraps over the end of this line of text and\ngoes on. Then a second.\n\nhttps://example.org/a\nand a fragment.\n';
      expect(splitSentences(text, 'wrapped')).toEqual([
        'Heading here',
        'A long first sentence that wraps over the end of this line of text and goes on.',
        'Then a second.',
        'https://example.org/a',
        'and a fragment.',
      ]);
      expect(splitSentences('One line. Two “quoted.” Three?\nNext paragraph', 'paragraphs')).toEqual(['One line.', 'Two “quoted.”', 'Three?', 'Next paragraph']);
    });
  });

  it('reports YAML that does not parse, and a missing file', () => {
    const problems = problemsAfter((files, dir) => {
      delete (files as Partial<SeedFiles>).claims;
      rmSync(path.join(dir, 'claims.yaml'));
      delete (files as Partial<SeedFiles>).places;
      writeFileSync(path.join(dir, 'places.yaml'), 'slug: [unclosed');
    });
    expect(problems.map(({ file, message }) => `${file}: ${message.split(':')[0]}`)).toEqual(
      expect.arrayContaining(['places.yaml: is not valid YAML', 'claims.yaml: file is missing']),
    );
  });
});

describe('loading the seeds', () => {
  it('writes every record, once, and reads back what the files say', async () => {
    const database = await openSeededDatabase();
    try {
      expect(await countRecords(database.db)).toEqual({
        sources: seeds.sources.length,
        actors: seeds.actors.length,
        places: seeds.places.length,
        events: seeds.events.length,
        measures: seeds.events.filter((event) => event.measure).length,
        responseLinks: seeds.events.flatMap((event) => event.measure?.inResponseTo ?? []).length,
        claims: seeds.claims.length,
        citations:
          seeds.sources.flatMap((s) => s.citations).length +
          seeds.actors.flatMap((a) => a.citations).length +
          seeds.events.flatMap((e) => [...e.citations, ...(e.measure?.citations ?? [])]).length +
          seeds.events.flatMap((e) => e.measure?.inResponseTo.flatMap((link) => link.citations) ?? []).length +
          seeds.claims.flatMap((c) => c.citations).length,
      });
      // Every link is stored with its attestation and who draws it, and its passages are stored as its citations.
      const links = await database.db
        .selectFrom('measure_response')
        .innerJoin('measure', 'measure.id', 'measure_response.measure_id')
        .innerJoin('event as measure_event', 'measure_event.id', 'measure.event_id')
        .innerJoin('event as answered', 'answered.id', 'measure_response.event_id')
        .leftJoin('actor', 'actor.id', 'measure_response.asserted_by_id')
        .select(['measure_event.slug as measure', 'answered.slug as event', 'measure_response.attestation', 'actor.slug as assertedBy'])
        .select((eb) => eb.selectFrom('citation').select(eb.fn.countAll<number>().as('n')).whereRef('citation.subject_response_id', '=', 'measure_response.id').as('citations'))
        .execute();
      const expected = seeds.events.flatMap((e) =>
        (e.measure?.inResponseTo ?? []).map((link) => ({
          measure: e.slug,
          event: link.event,
          attestation: link.attestation,
          assertedBy: link.assertedBy ?? null,
          citations: link.citations.length,
        })),
      );
      const byKey = (a: { measure: string; event: string }, b: { measure: string; event: string }) => (`${a.measure} ${a.event}` < `${b.measure} ${b.event}` ? -1 : 1);
      expect(links.map((link) => ({ ...link, citations: Number(link.citations) })).sort(byKey)).toEqual(expected.sort(byKey));
      const bySlug = (a: { slug: string }, b: { slug: string }) => (a.slug < b.slug ? -1 : 1);
      const attestations = await database.db.selectFrom('event').select(['slug', 'attestation']).execute();
      expect(attestations.sort(bySlug)).toEqual(seeds.events.map((e) => ({ slug: e.slug, attestation: e.attestation })).sort(bySlug));
    } finally {
      await database.close();
    }
  });

  it('changes nothing when loaded again, and keeps every id when reset', async () => {
    const database = await openSeededDatabase();
    try {
      const idsBefore = await database.db.selectFrom('event').select(['id', 'slug']).orderBy('id').execute();
      const again = await loadSeeds(database.db, seeds, 'if-empty');
      expect(again.status).toBe('unchanged');
      const reset = await loadSeeds(database.db, seeds, 'reset');
      expect(reset.status).toBe('loaded');
      expect(reset.counts).toEqual(again.counts);
      expect(await database.db.selectFrom('event').select(['id', 'slug']).orderBy('id').execute()).toEqual(idsBefore);
    } finally {
      await database.close();
    }
  });

  it('leaves the knowledge base as it was when a write fails halfway', async () => {
    const database = await openSeededDatabase();
    try {
      const before = await countRecords(database.db);
      // Past the validator (which would refuse it), the database's CHECK refuses it after sources and actors are written.
      const broken = { ...seeds, digest: 'broken', events: seeds.events.map((event, i) => (i === seeds.events.length - 1 ? { ...event, fatalities: -1 } : event)) };
      await expect(loadSeeds(database.db, broken, 'reset')).rejects.toThrow(/check constraint/);
      expect(await countRecords(database.db)).toEqual(before);
      expect((await loadSeeds(database.db, seeds, 'if-empty')).status).toBe('unchanged');
    } finally {
      await database.close();
    }
  });

  it('loads once when several instances start together on an empty database', async () => {
    const database = await openEmptyDatabase();
    try {
      await migrateToLatest(database.db);
      const results = await Promise.all([1, 2, 3].map(() => loadSeeds(database.db, seeds, 'if-empty')));
      expect(results.map((result) => result.status).sort()).toEqual(['loaded', 'unchanged', 'unchanged']);
      expect((await countRecords(database.db)).events).toBe(seeds.events.length);
    } finally {
      await database.close();
    }
  });

  it('refuses to load over other data unless told to reset', async () => {
    const database: Database = await openSeededDatabase();
    try {
      const other = { ...seeds, digest: 'other seeds' };
      expect((await loadSeeds(database.db, other, 'if-empty')).status).toBe('other-data');
      expect((await loadSeeds(database.db, other, 'reset')).status).toBe('loaded');
      expect((await loadSeeds(database.db, other, 'if-empty')).status).toBe('unchanged');
    } finally {
      await database.close();
    }
  });
});
