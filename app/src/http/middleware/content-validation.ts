import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import type { Config } from '../../config/index.js';
import { Invalid } from '../../shared/errors.js';

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const acceptedTypes = ['application/json', 'application/x-www-form-urlencoded'];

type BodyLimits = Config['http']['bodyLimits'];

/**
 * Refuses what no handler should see: null bytes in the URL (400), bodies of types we do not speak (415),
 * bodies over the limit for their path prefix (413, decided from Content-Length before reading when it is
 * sent), bodies that do not decode per their Content-Encoding (400), malformed JSON (400), null characters
 * anywhere in the body (422). Parses JSON and form bodies into
 * `ctx.request.body`.
 */
export function contentValidation(limits: BodyLimits): Middleware {
  const parsers = new Map<number, Middleware>();
  const parserFor = (limit: number) => {
    let parser = parsers.get(limit);
    if (!parser) {
      parser = bodyParser({
        enableTypes: ['json', 'form'],
        jsonLimit: limit,
        formLimit: limit,
      }) as Middleware;
      parsers.set(limit, parser);
    }
    return parser;
  };
  const prefixes = [...limits.byPrefix].sort((a, b) => b.prefix.length - a.prefix.length);
  const limitFor = (path: string) =>
    prefixes.find((entry) => path.startsWith(entry.prefix))?.limit ?? limits.default;

  return async function contentValidation(ctx, next) {
    if (ctx.url.includes('\0') || /%00/i.test(ctx.url)) {
      ctx.throw(400, 'The URL contains a null byte.', { problem: 'invalid-url' });
    }
    if (!bodyMethods.has(ctx.method) || !hasBody(ctx.req.headers)) return await next();
    if (!ctx.is(acceptedTypes)) {
      ctx.throw(415, `Send the body as ${acceptedTypes.join(' or ')}.`);
    }
    const limit = limitFor(ctx.path);
    if (ctx.request.length !== undefined && ctx.request.length > limit) {
      ctx.throw(413, `The body is larger than the ${limit} bytes accepted here.`);
    }
    let parsed = false;
    try {
      await parserFor(limit)(ctx, () => {
        parsed = true;
        const field = nullCharacterField(ctx.request.body);
        if (field !== undefined) {
          throw new Invalid('The body contains a null character.', [
            { field, message: 'null characters are not accepted' },
          ]);
        }
        return next();
      });
    } catch (error) {
      // The parser's own failures carry an HTTP status (413, 415, 400); a zlib or brotli stream that cannot
      // decode the body does not, and would be a 500 although the client sent the wrong bytes.
      if (!parsed && isDecodingFailure(error)) {
        ctx.throw(400, `The body is not valid ${ctx.get('content-encoding')} data.`, {
          problem: 'malformed-body',
        });
      }
      throw error;
    }
  };
}

/** A decompression error from node:zlib: `Z_DATA_ERROR`, `Z_BUF_ERROR`, or brotli's `ERR_*` codes. */
function isDecodingFailure(error: unknown): boolean {
  const { status, errno, code } = error as { status?: unknown; errno?: unknown; code?: unknown };
  return status === undefined && typeof errno === 'number' && typeof code === 'string';
}

/**
 * The path of the first string (key or value) holding U+0000, if any. PostgreSQL text cannot store it: such a
 * value would fail deep in a query as a 500 instead of being refused here as the client's mistake. Walks with
 * its own stack: a parsed body may be nested deeper than the call stack allows.
 */
function nullCharacterField(body: unknown): string | undefined {
  const pending: [unknown, string[]][] = [[body, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string' && value.includes('\0')) return path.join('.') || '(body)';
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\0')) return [...path, key].join('.');
      pending.push([child, path.length < 32 ? [...path, key] : path]);
    }
  }
  return undefined;
}

function hasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }) {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
