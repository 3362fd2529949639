// How this server compresses an answer, whoever writes it: ahead of Yoga
// (early-answers.ts, once per cached answer) and in Yoga's pipeline
// (useCompression, every other answer).
import { promisify } from 'node:util';
import {
  type BrotliOptions,
  brotliCompress,
  brotliCompressSync,
  constants as zlib,
  createBrotliCompress,
  createDeflate,
  createDeflateRaw,
  createGzip,
  createZstdCompress,
  deflate,
  deflateSync,
  gzip,
  gzipSync,
  zstdCompress,
  zstdCompressSync,
} from 'node:zlib';
import { TransformStream } from '@whatwg-node/fetch';
import { useContentEncoding } from '@whatwg-node/server';
import type { Plugin } from 'graphql-yoga';

/**
 * Brotli's default quality, 11, is for files compressed once and served many
 * times: with it a 50-event timeline cost 44–48 ms of CPU against 5–6 ms at
 * quality 5 (gzip 5, uncompressed 3–4), so a client listing `br` first made a
 * query ten times dearer. 5 compresses better than gzip's default, about as
 * fast; gzip, deflate and zstd keep zlib's defaults.
 */
const BROTLI: BrotliOptions = { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } };

const brotli = promisify(brotliCompress);

/** The encodings this server answers with: those Yoga's compression answers with on Node 22 and 24. */
export type Encoding = 'identity' | 'gzip' | 'deflate' | 'br' | 'zstd';

/**
 * The encoding Yoga's compression (`useContentEncoding` of @whatwg-node/server)
 * answers with: the first of the listed encodings it supports, by exact match
 * of the header's comma-separated parts, or none. Yoga passes over
 * deflate-raw on Node 20 and later; so does this.
 */
export function contentEncoding(acceptEncoding: string): Encoding {
  // Type escape: what ENCODINGS has is an Encoding.
  return (acceptEncoding.split(',').find((name) => ENCODINGS.has(name)) as Encoding | undefined) ?? 'identity';
}

const ENCODINGS: ReadonlySet<string> = new Set<Encoding>(['gzip', 'deflate', 'br', 'zstd']);

/** The bytes in an encoding, compressed on zlib's thread pool. */
const compressOnPool = {
  gzip: promisify(gzip),
  deflate: promisify(deflate),
  br: (bytes: Buffer) => brotli(bytes, BROTLI),
  zstd: promisify(zstdCompress),
} as const;

const compressHere = {
  gzip: (bytes: Buffer) => gzipSync(bytes),
  deflate: (bytes: Buffer) => deflateSync(bytes),
  br: (bytes: Buffer) => brotliCompressSync(bytes, BROTLI),
  zstd: (bytes: Buffer) => zstdCompressSync(bytes),
} as const;

/**
 * Answers up to this size are compressed on the main thread, larger ones on
 * zlib's thread pool, so that one very large answer does not hold every other
 * request up. Handing an answer to the pool costs more CPU than compressing it
 * here, most of all brotli's with several at once (`npm run bench:zlib`: 9 KB
 * 96 µs here and 1,314 on the pool 16 at a time, 150 KB 1,112 against 5,209;
 * gzip 115 against 626 and 696 against 837). Up to 128 KB, compressing here
 * holds the loop up for a millisecond at most, less than making the answer
 * took. A timeline of 50 events (38 KB) costs 0.79× the CPU with brotli and
 * 0.93× with gzip here that it cost on the pool (`npm run bench:builds`).
 */
const COMPRESSED_HERE_BYTES = 128 * 1024;

/** An answer's bytes in an encoding: at once up to COMPRESSED_HERE_BYTES, on zlib's pool above. */
export function compressAnswer(encoding: Exclude<Encoding, 'identity'>, bytes: Buffer): Buffer<ArrayBuffer> | Promise<Buffer<ArrayBuffer>> {
  return bytes.length <= COMPRESSED_HERE_BYTES ? compressHere[encoding](bytes) : compressOnPool[encoding](bytes);
}

/**
 * Yoga's compression (`useContentEncoding` of @whatwg-node/server), the same
 * encoding chosen by the same rule (`contentEncoding`), but an answer held in
 * memory, which is every answer but a stream of events, is compressed in one
 * call (`compressAnswer`) instead of being piped through a CompressionStream of
 * whatwg-node's streams over zlib's thread pool. A first page of 20 events (4.4
 * KB, 818 bytes gzipped) costs 0.60–0.72× the CPU it cost piped with gzip and 0.32×
 * with brotli (bench/RESULTS.md, "Sixteenth session"): the plumbing cost more
 * than zlib, and nearly every client but a benchmark asks for gzip or br
 * (browsers and fetch do). The answer also gets its Content-Length instead of
 * a chunked body. Streams (`text/event-stream`, `multipart/mixed`) and a
 * request's compressed body are still Yoga's plugin's to handle.
 */
export function useCompression(): Plugin {
  const streaming = useContentEncoding<{}>();
  return {
    onRequest: streaming.onRequest,
    onResponse(payload) {
      const { request, response, setResponse, fetchAPI } = payload;
      const encoding = contentEncoding(request.headers.get('accept-encoding') ?? '');
      if (encoding === 'identity' || response.body === null) return;
      if (STREAMED.test(response.headers.get('content-type') ?? '')) return streaming.onResponse?.(payload);
      return response.arrayBuffer().then(async (identity) => {
        const body = await compressAnswer(encoding, Buffer.from(identity));
        const headers = new fetchAPI.Headers(response.headers);
        headers.set('content-encoding', encoding);
        headers.set('content-length', String(body.length));
        setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }));
      });
    },
  };
}

const STREAMED = /^\s*(text\/event-stream|multipart\/mixed)\b/i;

/**
 * Yoga's `fetchAPI.CompressionStream`, which its useContentEncoding pipes a
 * streamed answer it compresses through: the ponyfill's own, but for brotli's quality,
 * for which it offers no option. Built on the TransformStream of Yoga's own
 * Fetch API (@whatwg-node/fetch), not on @whatwg-node/node-fetch's ESM build,
 * which would load a second copy of the ponyfill.
 */
export class CompressionStream extends TransformStream<BufferSource, Uint8Array<ArrayBuffer>> {
  constructor(format: string) {
    // Type escape: on Node, @whatwg-node/fetch's TransformStream is the ponyfill's, which takes a
    // Node Transform as its own CompressionStream gives it; the declared type names only a WHATWG transformer.
    super(compressor(format) as unknown as Transformer<BufferSource, Uint8Array<ArrayBuffer>>);
  }
}

function compressor(format: string) {
  switch (format) {
    case 'gzip':
    case 'x-gzip':
      return createGzip();
    case 'deflate':
    case 'x-deflate':
      return createDeflate();
    case 'deflate-raw':
      return createDeflateRaw();
    case 'br':
      return createBrotliCompress(BROTLI);
    case 'zstd':
      return createZstdCompress();
    default:
      throw new TypeError(`Unsupported compression format: ${format}`);
  }
}
