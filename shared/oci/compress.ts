import { pipeline } from 'node:stream';
import { constants, createGzip } from 'node:zlib';
import type { BlobSource } from './image';
import { gzipVariant } from './media-types';

/**
 * Level 1: on layers that are mostly binaries it is several times faster than the default level 6 for a few percent
 * more bytes, and the push is then limited by the upload, not by the CPU (see bench/push/RESULTS.md).
 */
export const GZIP_LEVEL = 1;

/** An uncompressed layer gzipped while it streams; digest and size are learned by the pusher during the upload. */
export function gzipOnTheFly(blob: BlobSource, level = GZIP_LEVEL): BlobSource {
  const mediaType = gzipVariant(blob.mediaType);
  if (!mediaType) return blob;
  return {
    mediaType,
    label: blob.label,
    annotations: blob.annotations,
    // Same input, same zlib settings, same output: a retry produces the same bytes and so the same digest.
    open: () => pipeline(blob.open(), createGzip({ level, chunkSize: 256 * 1024, strategy: constants.Z_DEFAULT_STRATEGY }), () => undefined),
  };
}
