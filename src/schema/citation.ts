import type { Kysely } from 'kysely';
import type { CitationRow, DB } from '../db/database.js';
import { type CitationSubjectColumn, findCitationsBySubjectIds } from '../db/queries/sources.js';
import { builder } from './builder.js';
import { type BatchScheduler, required, rowsByKey } from './loaders.js';
import { loadNode, type NodeTypename } from './node.js';
import { connectionType } from './pagination.js';
import { SourceRef } from './source.js';

const citationsBySubject = (db: Kysely<DB>, batches: BatchScheduler, column: CitationSubjectColumn) =>
  rowsByKey(batches, (ids) => findCitationsBySubjectIds(db, column, ids), (row) => row[column]!);

export function createCitationLoaders(db: Kysely<DB>, batches: BatchScheduler) {
  return {
    citationsBySourceId: citationsBySubject(db, batches, 'subject_source_id'),
    citationsByActorId: citationsBySubject(db, batches, 'subject_actor_id'),
    citationsByEventId: citationsBySubject(db, batches, 'subject_event_id'),
    citationsByMeasureId: citationsBySubject(db, batches, 'subject_measure_id'),
    citationsByClaimId: citationsBySubject(db, batches, 'subject_claim_id'),
    citationsByResponseLinkId: citationsBySubject(db, batches, 'subject_response_id'),
  };
}

// A passage drawing a response link supports the link's measure: links are not nodes of their own.
const SUBJECT_TYPENAME: Record<Exclude<CitationSubjectColumn, 'subject_response_id'>, NodeTypename> = {
  subject_event_id: 'Event',
  subject_actor_id: 'Actor',
  subject_measure_id: 'RetaliatoryMeasure',
  subject_claim_id: 'Claim',
  subject_source_id: 'Source',
};

export const CitationRef = builder.objectRef<CitationRow>('Citation').implement({
  description: 'A passage of a source that supports a record.',
  fields: (t) => ({
    source: t.field({
      type: SourceRef,
      resolve: (citation, _args, { loaders }) => loaders.sourceById.load(citation.source_id).then(required),
    }),
    quote: t.exposeString('quote', {
      description: 'Verbatim from `source.text` (whitespace runs may be collapsed) where the text is held.',
    }),
    subject: t.field({
      type: builder.nodeInterfaceRef(),
      description: "The record this passage supports; for a passage that draws a measure's response link, that measure.",
      resolve: async (citation, _args, { loaders }) => {
        if (citation.subject_response_id !== null) {
          const link = required(await loaders.responseLinkById.load(citation.subject_response_id));
          return required(await loadNode(loaders, 'RetaliatoryMeasure', link.measure_id));
        }
        // A CHECK constraint guarantees exactly one subject column is set.
        const column = (Object.keys(SUBJECT_TYPENAME) as (keyof typeof SUBJECT_TYPENAME)[]).find((key) => citation[key] !== null)!;
        return required(await loadNode(loaders, SUBJECT_TYPENAME[column], citation[column]!));
      },
    }),
  }),
});

export const CitationConnection = connectionType(CitationRef, 'Citation');
