import { sortValues } from '../db/queries/pagination.js';
import { SEARCH_SORT_KEYS } from '../db/queries/search.js';
import { badUserInput } from '../errors.js';
import { required } from '../loaders/batching.js';
import { builder } from './builder.js';
import { loadNode } from './node.js';
import { connectionType, forwardPageArgs, pageRequest, toConnection } from './pagination.js';
import { ActorRef, ClaimRef, EventRef, MeasureRef, SourceRef } from './refs.js';

const MAX_QUERY_LENGTH = 200;

// Rows come branded with their type by loadNode, which is how Pothos resolves the union.
export const SearchResultUnion = builder.unionType('SearchResult', {
  types: [EventRef, ActorRef, MeasureRef, SourceRef, ClaimRef],
});

export const SearchResultConnection = connectionType(SearchResultUnion, 'SearchResult');

builder.queryFields((t) => ({
  search: t.field({
    type: SearchResultConnection,
    description:
      'Ranked full-text search over every kind of record; names match aliases and tolerate small misspellings.\n' +
      'Web-search syntax: `"exact phrase"`, `or`, `-word`. Best matches first.',
    args: { query: t.arg.string({ required: true }), ...forwardPageArgs(t.arg) },
    resolve: async (_root, args, { loaders }) => {
      const text = args.query.trim();
      if (text === '') throw badUserInput("'query' must contain something to search for", 'query');
      if (text.length > MAX_QUERY_LENGTH) throw badUserInput(`'query' must be at most ${MAX_QUERY_LENGTH} characters`, 'query');
      const list = 'search';
      const request = pageRequest(list, args);
      const page = await loaders.search.page(text, request);
      const nodes = await Promise.all(page.rows.map((hit) => loadNode(loaders, hit.typename, hit.id).then(required)));
      const nodeByHit = new Map(page.rows.map((hit, index) => [hit, nodes[index]!]));
      return toConnection(list, request, page, {
        cursorOf: (hit) => sortValues(hit, SEARCH_SORT_KEYS),
        toNode: (hit) => nodeByHit.get(hit)!,
        totalCount: async () => page.rows[0]?.total_count ?? (request.cursor === null ? 0 : loaders.search.count(text)),
      });
    },
  }),
}));
