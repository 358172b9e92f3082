/**
 * Decompressors of Parquet pages for the codecs hyparquet does not read itself (it reads
 * uncompressed and Snappy pages): GZIP and BROTLI with Node's zlib, ZSTD with fzstd (pure
 * JavaScript; zlib has zstd only from Node 22.15, and local mode runs on Node 20). LZO and LZ4
 * are not read: a page in them fails the object as unreadable, naming the codec.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import type { Compressors } from 'hyparquet';

export const PARQUET_DECOMPRESSORS: Compressors = {
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
  ZSTD: (input, outputLength) => zstdDecompress(input, new Uint8Array(outputLength)),
};
