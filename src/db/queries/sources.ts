import type { Kysely } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { CitationRow, DB, SourceRow } from '../database.js';
import { anyOf, compiledOnce } from './any-of.js';
import { countRows, fetchPage, fetchPagesByParent, type PageRequest } from './pagination.js';

export interface SourceFilter {
  readonly kinds?: readonly string[] | null;
}

/** Every column but the full text, which only `Source.text` loads. */
const SOURCE_COLUMNS = [
  'source.id',
  'source.slug',
  'source.kind',
  'source.title',
  'source.author',
  'source.publisher',
  'source.url',
  'source.published_earliest',
  'source.published_latest',
  'source.published_precision',
  'source.note',
] as const;
export type SourceSummaryRow = Omit<SourceRow, 'text'>;

const CITATION_COLUMNS = [
  'citation.id',
  'citation.source_id',
  'citation.quote',
  'citation.subject_source_id',
  'citation.subject_actor_id',
  'citation.subject_event_id',
  'citation.subject_measure_id',
  'citation.subject_claim_id',
  'citation.subject_response_id',
] as const;

export type CitationSubjectColumn =
  | 'subject_source_id'
  | 'subject_actor_id'
  | 'subject_event_id'
  | 'subject_measure_id'
  | 'subject_claim_id'
  | 'subject_response_id';

function filteredSources(db: Kysely<DB>, { kinds }: SourceFilter) {
  let query = db.selectFrom('source');
  if (kinds != null && kinds.length > 0) query = query.where('source.kind', '=', anyOf(kinds));
  return query;
}

export const findSourcesByIds = compiledOnce<number, SourceSummaryRow>((db, ids) => db.selectFrom('source').select(SOURCE_COLUMNS).where('source.id', '=', anyOf(ids)));

export const findSourcesBySlugs = compiledOnce<string, SourceSummaryRow>((db, slugs) => db.selectFrom('source').select(SOURCE_COLUMNS).where('source.slug', '=', anyOf(slugs)));

export const findSourceTextsByIds = compiledOnce((db, ids: readonly number[]) => db.selectFrom('source').select(['id', 'text']).where('id', '=', anyOf(ids)));

const SOURCE_SORT_KEYS = ['source.id'] as const;
const CITATION_SORT_KEYS = ['citation.id'] as const;

export async function findSourcesPage(db: Kysely<DB>, filter: SourceFilter, request: PageRequest) {
  return fetchPage(filteredSources(db, filter).select(SOURCE_COLUMNS), SOURCE_SORT_KEYS, 'asc', request);
}

export async function countSources(db: Kysely<DB>, filter: SourceFilter): Promise<number> {
  return countRows(filteredSources(db, filter));
}

export const findCitedSourcesBySourceIds = compiledOnce((db, sourceIds: readonly number[]) =>
  db
    .selectFrom('source_reference')
    .innerJoin('source', 'source.id', 'source_reference.cited_source_id')
    .select(SOURCE_COLUMNS)
    .select('source_reference.citing_source_id')
    .where('source_reference.citing_source_id', '=', anyOf(sourceIds))
    .orderBy('source.id'),
);

/** A citation with its source's row (without the text), when the statement that found it joined it. */
export type CitationWithSource = CitationRow & { readonly source?: SourceSummaryRow | null };

/** One statement per subject column, each compiled once. */
const citationsBySubjectColumn = new Map<CitationSubjectColumn, (db: Kysely<DB>, ids: readonly number[]) => Promise<CitationWithSource[]>>();

/**
 * The citations supporting each record of one kind, keyed by that kind's
 * subject column, each with its source (to-one, and without its text, so a
 * small row): `citations { source { title } }` is one statement, not two.
 */
export function findCitationsBySubjectIds(db: Kysely<DB>, column: CitationSubjectColumn, subjectIds: readonly number[]): Promise<CitationWithSource[]> {
  let find = citationsBySubjectColumn.get(column);
  if (find === undefined) {
    find = compiledOnce((database, ids: readonly number[]) =>
      database
        .selectFrom('citation')
        .select(CITATION_COLUMNS)
        .select((eb) => jsonObjectFrom(eb.selectFrom('source').select(SOURCE_COLUMNS).whereRef('source.id', '=', 'citation.source_id')).as('source'))
        .where(`citation.${column}`, '=', anyOf(ids))
        .orderBy('citation.id'),
    );
    citationsBySubjectColumn.set(column, find);
  }
  return find(db, subjectIds);
}

/** Pages of the passages quoted from each source, in one statement. */
export async function findCitationPagesBySourceIds(db: Kysely<DB>, sourceIds: readonly number[], request: Omit<PageRequest, 'backward'>) {
  const query = db
    .selectFrom('citation')
    .select(CITATION_COLUMNS)
    .select('citation.source_id as parent_id')
    .where('citation.source_id', '=', anyOf(sourceIds));
  return fetchPagesByParent(db, query, CITATION_SORT_KEYS, 'asc', request);
}

export const countCitationsBySourceIds = compiledOnce((db, sourceIds: readonly number[]) =>
  db
    .selectFrom('citation')
    .select(['source_id as parent_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('source_id', '=', anyOf(sourceIds))
    .groupBy('source_id'),
);
