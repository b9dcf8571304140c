import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import type { Middleware } from 'koa';

/** Paths that serve the API docs page: the only responses allowed to run scripts and load styles. */
export const docsPrefix = '/docs';

// A JSON API needs no scripts, styles or frames: everything is refused unless named.
const apiPolicy: HelmetOptions['contentSecurityPolicy'] = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

// The docs page loads its bundle from this origin and calls the API from the browser.
const docsPolicy: HelmetOptions['contentSecurityPolicy'] = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  },
};

const hsts = { maxAge: 31_536_000, includeSubDomains: true };

/**
 * The headers helmet sets for these options. They depend only on the options (no nonces are used), so helmet
 * runs once per variant at start and each request copies the result: same headers, a fraction of the cost of
 * running helmet's thirteen middlewares on every request.
 */
function helmetHeaders(options: HelmetOptions): [string, string][] {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(options)(res.req, res, () => undefined);
  return Object.entries(res.getHeaders()).map(([name, value]) => [name, String(value)]);
}

/** helmet's headers with a strict CSP; HSTS only when enabled (prod) and the request came over https. */
export function securityHeaders(options: { hsts: boolean }): Middleware {
  const variant = (csp: HelmetOptions['contentSecurityPolicy'], withHsts: boolean) =>
    helmetHeaders({ contentSecurityPolicy: csp, strictTransportSecurity: withHsts ? hsts : false });
  const api = variant(apiPolicy, false);
  const docs = variant(docsPolicy, false);
  const apiHttps = options.hsts ? variant(apiPolicy, true) : api;
  const docsHttps = options.hsts ? variant(docsPolicy, true) : docs;
  return function securityHeaders(ctx, next) {
    const isDocs = ctx.path === docsPrefix || ctx.path.startsWith(`${docsPrefix}/`);
    const headers = ctx.secure ? (isDocs ? docsHttps : apiHttps) : isDocs ? docs : api;
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    ctx.res.removeHeader('X-Powered-By');
    return next();
  };
}
