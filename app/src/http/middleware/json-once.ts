import type { Middleware } from 'koa';

/** Bodies Koa would serialize as JSON: plain objects and arrays (streams, blobs and class instances are not). */
const isPlainJson = (body: unknown): body is object => {
  if (typeof body !== 'object' || body === null) return false;
  const prototype = Object.getPrototypeOf(body);
  return Array.isArray(body) || prototype === Object.prototype || prototype === null;
};

/**
 * Serializes a JSON body once, into bytes. Left as an object, it is serialized twice: Koa's `response.length`
 * (which koa-compress reads to compare with its threshold) stringifies it to count the bytes, then Koa's
 * respond stringifies it again and counts again. As a Buffer its length is known and it is written as is;
 * the Content-Type Koa gave the object (JSON, or problem+json) stays.
 */
export function jsonOnce(): Middleware {
  return async function jsonOnce(ctx, next) {
    await next();
    if (isPlainJson(ctx.body)) ctx.body = Buffer.from(JSON.stringify(ctx.body));
  };
}
