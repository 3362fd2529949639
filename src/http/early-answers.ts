// What src/server.ts answers before Yoga sees a request: a GET's cached answer
// (src/http/response-cache.ts) and GraphiQL's page (src/http/graphiql.ts).
import type { IncomingMessage } from 'node:http';
import { compressAnswer, type Encoding } from './compression.js';

/** An answer written before Yoga sees the request, with what its hooks would add (CORS, Vary, the request id and length) added there. */
export interface EarlyAnswer {
  /** The name the client gave its operation, for the log line and the metrics. */
  readonly operationName: string | undefined;
  /** 304 for a conditional request whose tag is current (src/http/response-cache.ts), with no body. */
  readonly status: 200 | 304;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A cache between client and server must keep one copy per encoding and per format asked for. */
export const VARY = 'Accept, Accept-Encoding';

/** A request header's (first) value. */
export function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A Node request as far as Yoga's own rules read one (its method and headers), so
 * the same rules decide here as there: whether to render GraphiQL, which CORS headers.
 * Type escape: those rules read nothing else of a Request.
 */
export function asFetchRequest(request: IncomingMessage): Request {
  return { method: request.method, headers: { get: (name: string) => headerOf(request, name) ?? null } } as unknown as Request;
}

const encodings = new WeakMap<object, Map<Encoding, Buffer | Promise<Buffer>>>();

/**
 * The bytes of `owner`'s text in an encoding, made once (by `compressAnswer`'s
 * rule: a cached answer at once, GraphiQL's page of megabytes on zlib's thread
 * pool) and kept as long as `owner` is. Yoga's compression
 * compresses every answer again on every request: a cached page of 20 events
 * took 280 µs of CPU a hit with gzip, GraphiQL's page 250 ms (and, at brotli's
 * default quality, which Yoga used then, 12 s with br).
 */
export function encodedOnce(owner: object, encoding: Encoding, text: () => string): Buffer | Promise<Buffer> {
  let encoded = encodings.get(owner);
  if (encoded === undefined) encodings.set(owner, (encoded = new Map()));
  let bytes = encoded.get(encoding);
  if (bytes === undefined) {
    const identity = Buffer.from(text());
    bytes = encoding === 'identity' ? identity : compressAnswer(encoding, identity);
    encoded.set(encoding, bytes);
    if (bytes instanceof Promise) void bytes.then((done) => encoded.set(encoding, done), () => encoded.delete(encoding));
  }
  return bytes;
}
