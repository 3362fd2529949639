// How this server compresses an answer, whoever writes it: ahead of Yoga
// (early-answers.ts, once per cached answer) and Yoga's useContentEncoding
// (every other answer, through the CompressionStream given it here).
import { promisify } from 'node:util';
import {
  type BrotliOptions,
  brotliCompress,
  constants as zlib,
  createBrotliCompress,
  createDeflate,
  createDeflateRaw,
  createGzip,
  createZstdCompress,
  deflate,
  gzip,
  zstdCompress,
} from 'node:zlib';
import { TransformStream } from '@whatwg-node/fetch';

/**
 * Brotli's default quality, 11, is for files compressed once and served many
 * times: with it a 50-event timeline cost 44–48 ms of CPU against 5–6 ms at
 * quality 5 (gzip 5, uncompressed 3–4), so a client listing `br` first made a
 * query ten times dearer. 5 compresses better than gzip's default, about as
 * fast; gzip, deflate and zstd keep zlib's defaults.
 */
const BROTLI: BrotliOptions = { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } };

const brotli = promisify(brotliCompress);

/** The bytes in an encoding, compressed on zlib's thread pool. */
export const compress = {
  gzip: promisify(gzip),
  deflate: promisify(deflate),
  br: (bytes: Buffer) => brotli(bytes, BROTLI),
  zstd: promisify(zstdCompress),
} as const;

/**
 * Yoga's `fetchAPI.CompressionStream`, which its useContentEncoding pipes every
 * answer it compresses through: the ponyfill's own, but for brotli's quality,
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
