import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';
import { EXAMPLE_OPERATIONS } from './examples.js';

/** GraphiQL opens on the example operations (a browser that used it before reopens its own saved tabs). */
export const graphiqlOptions: GraphiQLOptions = {
  title: 'Crisis knowledge base',
  defaultQuery: EXAMPLE_OPERATIONS,
};

let page: string | undefined;

/**
 * The whole GraphiQL page, scripts, styles and editor workers inlined from
 * @graphql-yoga/render-graphiql, so it works with no outside host (Yoga's
 * default loads them from a CDN). Rendered once: the page is about 9 MB.
 */
export function renderOfflineGraphiQL(options: GraphiQLOptions): string {
  page ??= renderGraphiQL(options);
  return page;
}
