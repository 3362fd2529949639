import type { CitationSubjectColumn } from '../db/queries/sources.js';
import { required } from '../loaders/batching.js';
import { builder } from './builder.js';
import { loadNode, type NodeTypename } from './node.js';
import { connectionType } from './pagination.js';
import { CitationRef, SourceRef } from './refs.js';

// A passage drawing a response link supports the link's measure: links are not nodes of their own.
const SUBJECT_TYPENAME: Record<Exclude<CitationSubjectColumn, 'subject_response_id'>, NodeTypename> = {
  subject_event_id: 'Event',
  subject_actor_id: 'Actor',
  subject_measure_id: 'RetaliatoryMeasure',
  subject_claim_id: 'Claim',
  subject_source_id: 'Source',
};

builder.objectType(CitationRef, {
  description: 'A passage of a source that supports a record.',
  fields: (t) => ({
    source: t.field({
      type: SourceRef,
      // A citation found through its record carries its source (joined): answered as it is, without a
      // promise, and primed, which saves the source loader a statement where the answer reaches it again.
      resolve: (citation, _args, { loaders }) => {
        if (!citation.source) return loaders.sources.byId.load(citation.source_id).then(required);
        loaders.sources.byId.prime(citation.source_id, citation.source);
        return citation.source;
      },
    }),
    quote: t.exposeString('quote', {
      description: 'Verbatim from `source.text` (whitespace runs may be collapsed) where the text is held.',
    }),
    subject: t.field({
      type: builder.nodeInterfaceRef(),
      description: "The record this passage supports; for a passage that draws a measure's response link, that measure.",
      resolve: async (citation, _args, { loaders }) => {
        if (citation.subject_response_id !== null) {
          const link = required(await loaders.measures.responseLinkById.load(citation.subject_response_id));
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
