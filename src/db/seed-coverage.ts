import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SLUG_PATTERN } from '../domain.js';
import { DEFAULT_SEEDS_DIR } from './seed-digest.js';
import { type CitationSeed, collapseWhitespace, type SeedSet } from './seed-files.js';
import type { SeedProblem } from './seed-problems.js';

// Hand-written: sentence splitting for two known documents needs only these
// few rules, which a general NLP library would not know (PDF wraps, cited-address blocks).

export const COVERAGE_FILE = 'coverage.yaml';

/** A quote covers a sentence when it shares at least this many characters with it (or all of a shorter sentence). */
export const MIN_OVERLAP = 20;
/** In a wrapped document, a line shorter than this ends its paragraph: a heading, or a paragraph's last line. */
const SHORT_LINE = 60;

const coverageConfig = z.strictObject({
  documents: z.array(
    z.strictObject({
      source: z.string().regex(SLUG_PATTERN),
      /** `paragraphs`: every line is a paragraph. `wrapped`: paragraphs are wrapped over lines and end at a blank or short line. */
      lines: z.enum(['paragraphs', 'wrapped']),
    }),
  ),
  skip: z
    .array(z.strictObject({ source: z.string().regex(SLUG_PATTERN), sentence: z.string().min(1), reason: z.string().trim().min(1) }))
    .nullish()
    .transform((value) => value ?? []),
});
export type CoverageConfig = z.infer<typeof coverageConfig>;

export interface Sentence {
  readonly source: string;
  /** Whitespace collapsed, as quotes are matched. */
  readonly text: string;
  /** Position in the source's collapsed text. */
  readonly start: number;
  readonly end: number;
}

export interface SentenceCoverage extends Sentence {
  /** Whether some record's quote shares at least MIN_OVERLAP characters with it. */
  readonly covered: boolean;
  /** The share of its characters that quotes cover, 0–1. */
  readonly share: number;
  /** The skip list's reason, where it is listed there. */
  readonly skipped: string | null;
}

export interface CoverageReport {
  readonly sentences: readonly SentenceCoverage[];
  readonly problems: readonly SeedProblem[];
}

const URL_LINE = /^https?:\/\/\S+$/;
// A sentence ends at . ! or ? (and any closing quotes) before a space and a capital, a digit or an opening quote.
const SENTENCE_END = /(?<=[.!?]["”’')]*)\s+(?=["“‘'(]?[A-Z0-9])/u;

/** The sentences of a document, in order: headings, fragments split by a page break and cited addresses each count as one. */
export function splitSentences(text: string, lines: 'paragraphs' | 'wrapped'): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const end = () => {
    if (current.length > 0) paragraphs.push(current.join(' '));
    current = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') end();
    else if (URL_LINE.test(line)) {
      end();
      paragraphs.push(line);
    } else {
      current.push(line);
      if (lines === 'paragraphs' || line.length < SHORT_LINE) end();
    }
  }
  end();
  return paragraphs.flatMap((paragraph) => collapseWhitespace(paragraph).split(SENTENCE_END)).filter((sentence) => sentence !== '');
}

/** Reads seeds/coverage.yaml; a problem if it is missing or malformed. */
export function readCoverageConfig(dir: string = DEFAULT_SEEDS_DIR): { config: CoverageConfig | null; problems: SeedProblem[] } {
  const file = path.join(dir, COVERAGE_FILE);
  if (!existsSync(file)) return { config: null, problems: [{ file: COVERAGE_FILE, message: 'file is missing' }] };
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    return { config: null, problems: [{ file: COVERAGE_FILE, message: `is not valid YAML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const result = coverageConfig.safeParse(document);
  if (!result.success) {
    return { config: null, problems: result.error.issues.map((issue) => ({ file: COVERAGE_FILE, field: issue.path.join('.'), message: issue.message })) };
  }
  return { config: result.data, problems: [] };
}

/**
 * Which sentences of the documents some record cites. A sentence is covered
 * when some quote, from any record (link passages included), shares at least
 * MIN_OVERLAP characters with it (or all of it, if shorter) at the quote's
 * first occurrence: a quote inside it, around it, or running into it. Every other sentence must be in the
 * skip list with a reason; a skip entry naming no sentence is a problem too.
 */
export function checkCoverage(seeds: SeedSet, dir: string = DEFAULT_SEEDS_DIR): CoverageReport {
  const { config, problems } = readCoverageConfig(dir);
  if (config === null) return { sentences: [], problems };
  const sourceBySlug = new Map(seeds.sources.map((source) => [source.slug, source]));
  const quotesBySource = new Map<string, string[]>();
  for (const { source, quote } of allCitations(seeds)) quotesBySource.set(source, [...(quotesBySource.get(source) ?? []), collapseWhitespace(quote)]);

  const sentences: SentenceCoverage[] = [];
  config.documents.forEach(({ source, lines }, i) => {
    const text = sourceBySlug.get(source)?.text;
    if (text == null) return problems.push({ file: COVERAGE_FILE, field: `documents[${i}].source`, message: `'${source}' is no source with a text` });
    const collapsed = collapseWhitespace(text);
    const cited = quoteSpans(collapsed, quotesBySource.get(source) ?? []);
    let cursor = 0;
    for (const sentence of splitSentences(text, lines)) {
      const start = collapsed.indexOf(sentence, cursor);
      const end = start + sentence.length;
      cursor = end;
      const overlaps = cited.map(([from, to]) => Math.max(0, Math.min(to, end) - Math.max(from, start)));
      const covered = overlaps.some((overlap) => overlap >= Math.min(MIN_OVERLAP, sentence.length));
      const share = coveredShare(cited, start, end);
      const skip = config.skip.find((entry) => entry.source === source && collapseWhitespace(entry.sentence) === sentence);
      sentences.push({ source, text: sentence, start, end, covered, share, skipped: skip?.reason ?? null });
    }
  });

  config.skip.forEach((entry, i) => {
    if (!sentences.some((s) => s.source === entry.source && s.text === collapseWhitespace(entry.sentence))) {
      problems.push({ file: COVERAGE_FILE, field: `skip[${i}]`, message: `no sentence of '${entry.source}' reads "${entry.sentence.slice(0, 80)}"` });
    }
  });
  for (const sentence of sentences.filter((s) => !s.covered && s.skipped === null)) {
    problems.push({ file: COVERAGE_FILE, record: sentence.source, message: `no record cites "${sentence.text}" and the skip list does not give a reason` });
  }
  return { sentences, problems };
}

/** The share of [start, end) that the spans cover, 0–1. */
export function coveredShare(spans: readonly (readonly [number, number])[], start: number, end: number): number {
  if (end <= start) return 1;
  let covered = 0;
  let reached = start;
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    const a = Math.max(from, reached);
    const b = Math.min(to, end);
    if (b > a) {
      covered += b - a;
      reached = b;
    }
  }
  return covered / (end - start);
}

/** Where each quote is found: its first occurrence, as the validator finds it; a quote meant for a later one must be longer. */
function quoteSpans(collapsed: string, quotes: readonly string[]): [number, number][] {
  return quotes.flatMap((quote): [number, number][] => {
    const at = collapsed.indexOf(quote);
    return at === -1 ? [] : [[at, at + quote.length]];
  });
}

function allCitations({ sources, actors, events, claims }: SeedSet): CitationSeed[] {
  return [
    ...sources.flatMap((s) => s.citations),
    ...actors.flatMap((a) => a.citations),
    ...events.flatMap((e) => [...e.citations, ...(e.measure?.citations ?? []), ...(e.measure?.inResponseTo.flatMap((link) => link.citations) ?? [])]),
    ...claims.flatMap((c) => c.citations),
  ];
}
