import type { IncomingMessage } from 'node:http';
import { type GraphiQLOptions, shouldRenderGraphiQL } from 'graphql-yoga';
import { contentEncoding } from './compression.js';
import { asFetchRequest, type EarlyAnswer, encodedOnce, headerOf } from './early-answers.js';
import { EXAMPLE_OPERATIONS } from './examples.js';
import { GRAPHQL_PATH } from './request-record.js';

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

const HTML = { 'Content-Type': 'text/html' } as const;

/**
 * GraphiQL's page for a request Yoga would render it for (by Yoga's own rule: a
 * GET to /graphql whose Accept names text/html, whatever else it asks), written before Yoga
 * sees it, compressed once per encoding. Through Yoga the 9 MB page was
 * compressed again for every request: 250 ms of CPU with gzip, 12 s with br,
 * which any client could ask for as often as it liked.
 */
export function graphiqlPage(request: IncomingMessage): Promise<EarlyAnswer> | null {
  const path = request.url?.split('?', 1)[0];
  if ((path !== GRAPHQL_PATH && path !== `${GRAPHQL_PATH}/`) || !shouldRenderGraphiQL(asFetchRequest(request))) return null;
  const encoding = contentEncoding(headerOf(request, 'accept-encoding') ?? '');
  return renderOfflineGraphiQL(graphiqlOptions).then(async (html) => ({
    operationName: undefined,
    status: 200,
    headers: encoding === 'identity' ? HTML : { ...HTML, 'content-encoding': encoding },
    body: await encodedOnce(renderedPages, encoding, () => html),
  }));
}

/** What the page's encodings are kept by: the page is rendered once per process. */
const renderedPages = {};
