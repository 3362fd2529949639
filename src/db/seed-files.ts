import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  ACTOR_KINDS,
  ATTESTATIONS,
  EVENT_CATEGORIES,
  MEASURE_KINDS,
  PARTICIPANT_ROLES,
  SLUG_PATTERN,
  SOURCE_KINDS,
} from '../domain.js';
import { parseFuzzyDate } from '../fuzzy-date.js';
import { DEFAULT_SEEDS_DIR, DOCUMENTS_DIR, seedDigest } from './seed-digest.js';
import { type SeedProblem, SeedValidationError } from './seed-problems.js';

const slug = z.string().regex(SLUG_PATTERN, 'must be lower-case words of a-z and 0-9 joined by single hyphens');
const text = z.string().trim().min(1, 'must not be empty');
const optionalText = text.nullish();
const slugs = z.array(slug).nullish().transform((value) => value ?? []);
const fuzzyDate = z
  .string({ error: 'must be a quoted string: "2001", "2024-12" or "2025-06-27"' })
  .refine((value) => parseFuzzyDate(value) !== null, 'must be a real date written YYYY, YYYY-MM or YYYY-MM-DD');
const count = z.number().int('must be a whole number').nonnegative('must not be negative').nullish();
const citation = z.strictObject({ source: slug, quote: text });
const citations = z.array(citation).nullish().transform((value) => value ?? []);

const sourceSeed = z.strictObject({
  slug,
  kind: z.enum(SOURCE_KINDS),
  title: optionalText,
  author: optionalText,
  publisher: optionalText,
  url: z.url({ error: 'must be an absolute URL' }).nullish(),
  publishedOn: fuzzyDate.nullish(),
  note: optionalText,
  textFile: optionalText,
  cites: slugs,
  citations,
});

const actorSeed = z.strictObject({
  slug,
  name: text,
  kind: z.enum(ACTOR_KINDS),
  aliases: z.array(text).nullish().transform((value) => value ?? []),
  description: optionalText,
  country: slug.nullish(),
  affiliations: z
    .array(z.strictObject({ organization: slug, role: optionalText }))
    .nullish()
    .transform((value) => value ?? []),
  citations,
});

const placeSeed = z.strictObject({ slug, name: text, country: slug.nullish() });

const responseLinkSeed = z.strictObject({
  event: slug,
  attestation: z.enum(ATTESTATIONS),
  assertedBy: slug.nullish(),
  citations,
});

const measureSeed = z.strictObject({
  kind: z.enum(MEASURE_KINDS),
  initiator: slug,
  target: slug,
  inResponseTo: z.array(responseLinkSeed, { error: 'must be a list of links: { event, attestation, assertedBy, citations }' }),
  citations,
});

const eventSeed = z.strictObject({
  slug,
  title: text,
  summary: text,
  category: z.enum(EVENT_CATEGORIES),
  attestation: z.enum(ATTESTATIONS),
  date: fuzzyDate,
  note: optionalText,
  place: slug.nullish(),
  fatalities: count,
  injured: count,
  participants: z
    .array(z.strictObject({ actor: slug, role: z.enum(PARTICIPANT_ROLES), note: optionalText }))
    .nullish()
    .transform((value) => value ?? []),
  citations,
  measure: measureSeed.nullish(),
});

const claimSeed = z.strictObject({
  slug,
  statement: text,
  claimant: slug.nullish(),
  about: slugs,
  contradicts: slugs,
  note: optionalText,
  citations,
});

export type SourceSeed = z.infer<typeof sourceSeed> & { readonly text: string | null };
export type ActorSeed = z.infer<typeof actorSeed>;
export type PlaceSeed = z.infer<typeof placeSeed>;
export type EventSeed = z.infer<typeof eventSeed>;
export type ClaimSeed = z.infer<typeof claimSeed>;
export type CitationSeed = z.infer<typeof citation>;
export type ResponseLinkSeed = z.infer<typeof responseLinkSeed>;

export interface SeedSet {
  readonly sources: readonly SourceSeed[];
  readonly actors: readonly ActorSeed[];
  readonly places: readonly PlaceSeed[];
  readonly events: readonly EventSeed[];
  readonly claims: readonly ClaimSeed[];
  /** Changes whenever any seed file or document changes: `seedDigest`. */
  readonly digest: string;
}

const FILES = {
  sources: ['sources.yaml', sourceSeed],
  actors: ['actors.yaml', actorSeed],
  places: ['places.yaml', placeSeed],
  events: ['events.yaml', eventSeed],
  claims: ['claims.yaml', claimSeed],
} as const;

/** Reads and validates every seed file; throws a SeedValidationError listing every problem found. */
export function readSeeds(dir: string = DEFAULT_SEEDS_DIR): SeedSet {
  const problems: SeedProblem[] = [];
  const parsed = {} as { -readonly [K in keyof typeof FILES]: z.infer<(typeof FILES)[K][1]>[] };
  // Slugs of records refused field by field: references to them are not reported again as unknown.
  const refusedSlugs = new Set<string>();

  for (const [kind, [file, recordSchema]] of Object.entries(FILES) as [keyof typeof FILES, (typeof FILES)[keyof typeof FILES]][]) {
    const records: unknown[] = [];
    const filePath = path.join(dir, file);
    if (!existsSync(filePath)) {
      problems.push({ file, message: 'file is missing' });
    } else {
      const content = readFileSync(filePath, 'utf8');
      try {
        const document: unknown = parseYaml(content) ?? [];
        if (Array.isArray(document)) records.push(...document);
        else problems.push({ file, message: 'must be a YAML list of records' });
      } catch (error) {
        problems.push({ file, message: `is not valid YAML: ${(error as Error).message.split('\n')[0]}` });
      }
    }
    const valid: unknown[] = [];
    records.forEach((record, index) => {
      const result = recordSchema.safeParse(record);
      if (result.success) valid.push(result.data);
      else {
        const name = recordName(record, index);
        refusedSlugs.add(`${kind}:${name}`);
        for (const issue of result.error.issues) {
          problems.push({ file, record: name, field: fieldPath(issue.path), message: issue.message });
        }
      }
    });
    parsed[kind] = valid as never;
  }

  const sources: SourceSeed[] = parsed.sources.map((source) => {
    if (!source.textFile) return { ...source, text: null };
    if (!isInDocuments(source.textFile)) {
      problems.push({ file: 'sources.yaml', record: source.slug, field: 'textFile', message: `must name a file in ${DOCUMENTS_DIR}/, which the seed digest covers` });
      return { ...source, text: null };
    }
    const textPath = path.join(dir, source.textFile);
    if (!existsSync(textPath)) {
      problems.push({ file: 'sources.yaml', record: source.slug, field: 'textFile', message: `file '${source.textFile}' not found` });
      return { ...source, text: null };
    }
    return { ...source, text: readFileSync(textPath, 'utf8') };
  });

  const seeds: SeedSet = { ...parsed, sources, digest: seedDigest(dir) };
  problems.push(...crossCheck(seeds).filter((problem) => !refersToRefused(problem, refusedSlugs)));
  if (problems.length > 0) throw new SeedValidationError(problems);
  return seeds;
}

function isInDocuments(textFile: string): boolean {
  const normal = path.posix.normalize(textFile);
  return normal.startsWith(`${DOCUMENTS_DIR}/`) && !path.posix.isAbsolute(textFile);
}

/** Collapses every run of whitespace, so a quote may wrap where the document does not. */
export function collapseWhitespace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function crossCheck({ sources, actors, places, events, claims }: SeedSet): SeedProblem[] {
  const problems: SeedProblem[] = [];
  const sourceBySlug = uniqueBySlug('sources.yaml', sources, problems);
  const actorBySlug = uniqueBySlug('actors.yaml', actors, problems);
  const placeBySlug = uniqueBySlug('places.yaml', places, problems);
  const eventBySlug = uniqueBySlug('events.yaml', events, problems);
  const claimBySlug = uniqueBySlug('claims.yaml', claims, problems);
  const collapsedText = new Map(sources.map((s) => [s.slug, s.text === null ? null : collapseWhitespace(s.text)]));

  const refer = <T>(index: Map<string, T>, what: string, file: string, record: string, field: string, target: string | null | undefined) => {
    if (target != null && !index.has(target)) problems.push({ file, record, field, message: `unknown ${what} '${target}'` });
  };
  const checkCitations = (file: string, record: string, field: string, list: readonly CitationSeed[]) => {
    if (list.length === 0) problems.push({ file, record, field, message: 'every record needs at least one citation' });
    list.forEach(({ source, quote }, index) => {
      const at = `${field}[${index}]`;
      if (!sourceBySlug.has(source)) return problems.push({ file, record, field: `${at}.source`, message: `unknown source '${source}'` });
      const text = collapsedText.get(source);
      if (text == null) problems.push({ file, record, field: `${at}.source`, message: `source '${source}' holds no text to quote from` });
      else if (!text.includes(collapseWhitespace(quote))) {
        problems.push({ file, record, field: `${at}.quote`, message: `not found verbatim in '${source}': "${quote.slice(0, 80)}"` });
      }
    });
  };
  const onlyOpinion = (list: readonly CitationSeed[]) => list.length > 0 && list.every(({ source }) => sourceBySlug.get(source)?.kind === 'OPINION');
  const referState = (file: string, record: string, field: string, target: string | null | undefined) => {
    refer(actorBySlug, 'actor', file, record, field, target);
    const country = target == null ? undefined : actorBySlug.get(target);
    if (country && country.kind !== 'STATE') problems.push({ file, record, field, message: `'${target}' is a ${country.kind}, not a STATE` });
  };

  for (const source of sources) {
    source.cites.forEach((cited, i) => {
      refer(sourceBySlug, 'source', 'sources.yaml', source.slug, `cites[${i}]`, cited);
      if (cited === source.slug) problems.push({ file: 'sources.yaml', record: source.slug, field: `cites[${i}]`, message: 'a source cannot cite itself' });
    });
    checkCitations('sources.yaml', source.slug, 'citations', source.citations);
  }

  const names = new Map<string, string>();
  for (const actor of actors) {
    [actor.name, ...actor.aliases].forEach((name, i) => {
      const key = name.toLowerCase();
      const owner = names.get(key);
      const field = i === 0 ? 'name' : `aliases[${i - 1}]`;
      if (owner !== undefined) problems.push({ file: 'actors.yaml', record: actor.slug, field, message: `'${name}' is already a name of actor '${owner}'` });
      else names.set(key, actor.slug);
    });
    if (actor.kind === 'STATE' && actor.country != null) problems.push({ file: 'actors.yaml', record: actor.slug, field: 'country', message: 'a state has no country' });
    referState('actors.yaml', actor.slug, 'country', actor.country);
    actor.affiliations.forEach(({ organization }, i) => {
      refer(actorBySlug, 'actor', 'actors.yaml', actor.slug, `affiliations[${i}].organization`, organization);
      if (organization === actor.slug) problems.push({ file: 'actors.yaml', record: actor.slug, field: `affiliations[${i}].organization`, message: 'an actor cannot belong to itself' });
    });
    checkCitations('actors.yaml', actor.slug, 'citations', actor.citations);
  }

  for (const place of places) referState('places.yaml', place.slug, 'country', place.country);

  for (const event of events) {
    const file = 'events.yaml';
    refer(placeBySlug, 'place', file, event.slug, 'place', event.place);
    const seen = new Set<string>();
    event.participants.forEach(({ actor, role }, i) => {
      refer(actorBySlug, 'actor', file, event.slug, `participants[${i}].actor`, actor);
      if (seen.has(`${actor} ${role}`)) problems.push({ file, record: event.slug, field: `participants[${i}]`, message: `'${actor}' is already a ${role} of this event` });
      seen.add(`${actor} ${role}`);
    });
    checkCitations(file, event.slug, 'citations', event.citations);
    if (event.attestation === 'REPORTED' && onlyOpinion([...event.citations, ...(event.measure?.citations ?? [])])) {
      problems.push({ file, record: event.slug, field: 'attestation', message: 'only an opinion piece reports it: it is ALLEGED' });
    }
    const { measure } = event;
    if (!measure) continue;
    refer(actorBySlug, 'actor', file, event.slug, 'measure.initiator', measure.initiator);
    refer(actorBySlug, 'actor', file, event.slug, 'measure.target', measure.target);
    if (measure.initiator === measure.target) problems.push({ file, record: event.slug, field: 'measure.target', message: 'initiator and target must differ' });
    if (measure.inResponseTo.length === 0) {
      problems.push({
        file,
        record: event.slug,
        field: 'measure.inResponseTo',
        message: 'a measure answers at least one event, with the passage that says so; an act no passage presents as an answer is an event, not a measure',
      });
    }
    const answered = new Set<string>();
    measure.inResponseTo.forEach((link, i) => {
      const at = `measure.inResponseTo[${i}]`;
      refer(eventBySlug, 'event', file, event.slug, `${at}.event`, link.event);
      refer(actorBySlug, 'actor', file, event.slug, `${at}.assertedBy`, link.assertedBy);
      if (link.event === event.slug) problems.push({ file, record: event.slug, field: `${at}.event`, message: 'a measure cannot answer itself' });
      if (answered.has(link.event)) problems.push({ file, record: event.slug, field: `${at}.event`, message: `'${link.event}' is already linked; give one link all its passages` });
      answered.add(link.event);
      if (link.assertedBy != null && link.attestation !== 'ALLEGED') {
        problems.push({ file, record: event.slug, field: `${at}.attestation`, message: 'a link drawn only by a party (assertedBy) is ALLEGED' });
      }
      if (link.attestation === 'REPORTED' && onlyOpinion(link.citations)) {
        problems.push({ file, record: event.slug, field: `${at}.attestation`, message: 'only an opinion piece draws this link: it is ALLEGED' });
      }
      if (link.citations.length === 0) problems.push({ file, record: event.slug, field: `${at}.citations`, message: 'a link needs the passage that draws it' });
      else checkCitations(file, event.slug, `${at}.citations`, link.citations);
    });
    checkCitations(file, event.slug, 'measure.citations', measure.citations);
  }

  const claimedEvents = new Set(claims.flatMap((claim) => claim.about));
  for (const event of events) {
    if (event.attestation === 'ALLEGED' && !claimedEvents.has(event.slug)) {
      problems.push({ file: 'events.yaml', record: event.slug, field: 'attestation', message: 'an ALLEGED event needs the claims that assert it (a claim whose `about` lists it)' });
    }
  }

  for (const claim of claims) {
    const file = 'claims.yaml';
    refer(actorBySlug, 'actor', file, claim.slug, 'claimant', claim.claimant);
    claim.about.forEach((about, i) => refer(eventBySlug, 'event', file, claim.slug, `about[${i}]`, about));
    claim.contradicts.forEach((other, i) => {
      refer(claimBySlug, 'claim', file, claim.slug, `contradicts[${i}]`, other);
      if (other === claim.slug) problems.push({ file, record: claim.slug, field: `contradicts[${i}]`, message: 'a claim cannot contradict itself' });
    });
    checkCitations(file, claim.slug, 'citations', claim.citations);
  }
  problems.push(...hedgeProblems(events, claims));
  return problems;
}

/** Words by which a source distances itself from what it reports; a record citing one must not drop it. */
export const HEDGES = ['reportedly', 'seen as', 'appeared to', 'alleged', 'claimed', 'according to', 'said'] as const;
const HEDGE_PATTERNS = HEDGES.map((hedge) => [hedge, new RegExp(`\\b${hedge.replace(' ', '\\s+')}\\b`, 'i')] as const);

/** The hedges a passage uses. */
export function hedgesIn(passage: string): string[] {
  return HEDGE_PATTERNS.filter(([, pattern]) => pattern.test(passage)).map(([hedge]) => hedge);
}

/**
 * Hedge preservation: a record citing a hedged passage is ALLEGED, attributed
 * to a claimant, or keeps the hedge in its own words (an event's summary, a
 * claim's statement). Sources and actors only name things, so they are free.
 */
function hedgeProblems(events: readonly EventSeed[], claims: readonly ClaimSeed[]): SeedProblem[] {
  const problems: SeedProblem[] = [];
  const check = (file: string, record: string, field: string, list: readonly CitationSeed[], kept: (hedge: string) => boolean, remedy: string) =>
    list.forEach(({ quote }, i) => {
      for (const hedge of hedgesIn(quote).filter((h) => !kept(h))) {
        problems.push({ file, record, field: `${field}[${i}]`, message: `cites a passage hedged with '${hedge}' ("${quote.slice(0, 60)}"): ${remedy}` });
      }
    });
  const inWords = (words: string) => (hedge: string) => hedgesIn(words).includes(hedge);
  for (const event of events) {
    const kept = (hedge: string) => event.attestation === 'ALLEGED' || inWords(event.summary)(hedge);
    const remedy = 'make the event ALLEGED or keep the hedge in its summary';
    check('events.yaml', event.slug, 'citations', event.citations, kept, remedy);
    if (!event.measure) continue;
    check('events.yaml', event.slug, 'measure.citations', event.measure.citations, kept, remedy);
    event.measure.inResponseTo.forEach((link, i) =>
      check('events.yaml', event.slug, `measure.inResponseTo[${i}].citations`, link.citations, () => link.attestation === 'ALLEGED' || link.assertedBy != null, 'make the link ALLEGED or say who draws it (assertedBy)'),
    );
  }
  for (const claim of claims) {
    check('claims.yaml', claim.slug, 'citations', claim.citations, (hedge) => claim.claimant != null || inWords(claim.statement)(hedge), 'name its claimant or keep the hedge in its statement');
  }
  return problems;
}

function refersToRefused({ message }: SeedProblem, refusedSlugs: ReadonlySet<string>): boolean {
  const unknown = /^unknown (source|actor|place|event|claim) '(.*)'$/.exec(message);
  return unknown !== null && refusedSlugs.has(`${unknown[1]}s:${unknown[2]}`);
}

function uniqueBySlug<T extends { slug: string }>(file: string, records: readonly T[], problems: SeedProblem[]): Map<string, T> {
  const bySlug = new Map<string, T>();
  for (const record of records) {
    if (bySlug.has(record.slug)) problems.push({ file, record: record.slug, field: 'slug', message: 'duplicate slug' });
    else bySlug.set(record.slug, record);
  }
  return bySlug;
}

function recordName(record: unknown, index: number): string {
  const slugValue = (record as { slug?: unknown } | null)?.slug;
  return typeof slugValue === 'string' && slugValue !== '' ? slugValue : `#${index + 1}`;
}

function fieldPath(segments: readonly PropertyKey[]): string | undefined {
  if (segments.length === 0) return undefined;
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`)).join('');
}
