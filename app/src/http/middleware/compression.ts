import { constants } from 'node:zlib';
import type { Middleware } from 'koa';
import compress from 'koa-compress';

export interface CompressionSettings {
  readonly thresholdBytes: number;
}

/**
 * gzip or brotli, whichever the client prefers by Accept-Encoding (brotli when it takes both), for bodies
 * of at least `thresholdBytes` whose type `compressible` (mime-db) calls compressible: JSON and
 * problem+json yes, images and archives no (compressing them again costs CPU and saves nothing).
 * Every response it could compress says `Vary: Accept-Encoding`, so a cache never hands one encoding to a
 * client that asked for another. A route whose body carries secrets sets `ctx.compress = false` itself
 * (see ApiRoute.carriesSecrets): its length must not leak them (BREACH).
 */
export function compression(settings: CompressionSettings): Middleware {
  return compress({
    threshold: settings.thresholdBytes,
    gzip: { level: 6 },
    // Quality 4, not brotli's default 11: 11 costs several times the CPU of gzip for a few percent less on
    // responses this size; 4 is already smaller than gzip at about gzip's cost.
    br: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    // Only the two every client and proxy knows.
    deflate: false,
    zstd: false,
  });
}
