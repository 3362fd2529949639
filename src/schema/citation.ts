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
  };
}

const SUBJECT_TYPENAME: Record<CitationSubjectColumn, NodeTypename> = {
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
      description: 'The record this passage supports.',
      resolve: async (citation, _args, { loaders }) => {
        // A CHECK constraint guarantees exactly one subject column is set.
        const column = (Object.keys(SUBJECT_TYPENAME) as CitationSubjectColumn[]).find((key) => citation[key] !== null)!;
        return required(await loadNode(loaders, SUBJECT_TYPENAME[column], citation[column]!));
      },
    }),
  }),
});

export const CitationConnection = connectionType(CitationRef, 'Citation');
