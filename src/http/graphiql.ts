import type { GraphiQLOptions } from 'graphql-yoga';
import { EXAMPLE_OPERATIONS } from './examples.js';

/** GraphiQL opens on the example operations (a browser that used it before reopens its own saved tabs). */
export const graphiqlOptions: GraphiQLOptions = {
  title: 'Crisis knowledge base',
  defaultQuery: EXAMPLE_OPERATIONS,
};

let page: Promise<string> | undefined;

/**
 * The whole GraphiQL page, scripts, styles and editor workers inlined from
 * @graphql-yoga/render-graphiql, so it works with no outside host (Yoga's
 * default loads them from a CDN). That module is 9 MB of JavaScript, so it is
 * loaded on the first visit rather than at start-up, and the page rendered once.
 */
export function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
  return page;
}
