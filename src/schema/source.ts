import type { SourceKind } from '../domain.js';
import { builder } from './builder.js';
import { CitationConnection } from './citation.js';
import { FuzzyDateRef } from './fuzzy-date.js';
import { connectionType, forwardPageArgs, pageArgs, pageRequest, toConnection } from './pagination.js';
import { CitationRef, SourceRef } from './refs.js';

export const SourceKindEnum = builder.enumType('SourceKind', {
  values: ['NEWS_REPORT', 'ANALYSIS', 'OPINION', 'OFFICIAL_STATEMENT', 'SOCIAL_MEDIA', 'OTHER'] as const satisfies readonly SourceKind[],
});

builder.node(SourceRef, {
  description: 'A document the knowledge comes from, or one that a document cites.',
  id: { resolve: (source) => source.id },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.exposeString('title', { nullable: true, description: 'Null where the document gives no title; never invented.' }),
    publisher: t.exposeString('publisher', { nullable: true }),
    author: t.exposeString('author', { nullable: true }),
    url: t.exposeString('url', { nullable: true, description: 'Null where the document gives no address; never invented.' }),
    publishedOn: t.field({
      type: FuzzyDateRef,
      nullable: true,
      resolve: (source) =>
        source.published_precision === null
          ? null
          : { precision: source.published_precision, earliest: source.published_earliest!, latest: source.published_latest! },
    }),
    kind: t.field({ type: SourceKindEnum, resolve: (source) => source.kind as SourceKind }),
    note: t.exposeString('note', { nullable: true, description: 'How the record was read, e.g. where its date comes from.' }),
    text: t.string({
      nullable: true,
      description: 'The full text, for documents held in full.',
      resolve: async (source, _args, { loaders }) => (await loaders.sources.textById.load(source.id))?.text ?? null,
    }),
    cites: t.field({
      type: [SourceRef],
      description: 'Sources that this document references.',
      resolve: (source, _args, { loaders }) => loaders.sources.citedBySourceId.load(source.id),
    }),
    citations: t.field({
      type: CitationConnection,
      description: 'The passages of this source that records quote, in the order they were recorded.',
      args: forwardPageArgs(t.arg),
      resolve: async (source, args, { loaders }) => {
        const list = 'source-citations';
        const request = pageRequest(list, args);
        const page = await loaders.sources.citationPageBySourceId.load({ parentId: source.id, request, variant: null });
        return toConnection(list, request, page, {
          cursorOf: (citation) => [citation.id],
          totalCount: () => loaders.sources.citationCountBySourceId.load({ parentId: source.id, variant: null }),
        });
      },
    }),
    support: t.field({
      type: [CitationRef],
      description: 'Passages supporting this record itself: for a cited address, the line of the document that cites it.',
      resolve: (source, _args, { loaders }) => loaders.citations.bySourceId.load(source.id),
    }),
  }),
});

export const SourceConnection = connectionType(SourceRef, 'Source');

export const SourceFilterInput = builder.inputType('SourceFilter', {
  fields: (t) => ({ kind: t.field({ type: [SourceKindEnum] }) }),
});

builder.queryFields((t) => ({
  sources: t.field({
    type: SourceConnection,
    description: 'The documents held in full first, then the addresses they cite.',
    args: { filter: t.arg({ type: SourceFilterInput }), ...pageArgs(t.arg) },
    resolve: async (_root, args, { loaders }) => {
      const list = 'sources';
      const request = pageRequest(list, args);
      const filter = { kinds: args.filter?.kind };
      return toConnection(list, request, await loaders.sources.page(filter, request), {
        cursorOf: (source) => [source.id],
        totalCount: () => loaders.sources.count(filter),
      });
    },
  }),
  source: t.field({
    type: SourceRef,
    nullable: true,
    description: 'The source with this slug, or null.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, { slug }, { loaders }) => loaders.sources.bySlug.load(slug),
  }),
}));
