import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { type CORSOptions, createGraphQLError, type Plugin } from 'graphql-yoga';
import type { CorsConfig } from './config.js';
import { ErrorCode } from './errors.js';

/** A header that makes a GET (or any simple request) non-simple, so a browser preflights it; GraphiQL and JSON POSTs need none. */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'graphql-preflight'] as const;

/** Bodies a browser may send cross-site without a preflight; we take no uploads or forms. */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** CORS for a public read API: any origin (or an allow-list), no credentials unless configured; ids and budgets readable. */
export function corsOptions(cors: CorsConfig, exposedHeaders: readonly string[]): CORSOptions {
  return {
    origin: cors.origins === '*' ? '*' : [...cors.origins],
    credentials: cors.credentials,
    methods: ['GET', 'POST'],
    exposedHeaders: [...exposedHeaders],
    maxAge: 600,
  };
}

/** Refuses form-encoded, multipart and plain-text bodies (415), then requires a CSRF header on whatever is left simple (GET). */
export function useBrowserSafety(): Plugin[] {
  return [
    {
      onRequestParse({ request }) {
        const contentType = request.headers.get('content-type')?.toLowerCase() ?? '';
        if (request.method === 'POST' && SIMPLE_CONTENT_TYPES.some((type) => contentType.startsWith(type))) {
          throw createGraphQLError('Send the operation as application/json (or by GET); form, multipart and plain-text bodies are refused', {
            extensions: { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, http: { status: 415 } },
          });
        }
      },
    },
    useCSRFPrevention({ requestHeaders: [...CSRF_HEADERS] }),
  ];
}
