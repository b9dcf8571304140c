import type { HelmetOptions } from 'helmet';
import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

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

/** koa-helmet with a strict CSP; HSTS only when enabled (prod) and the request came over https. */
export function securityHeaders(options: { hsts: boolean }): Middleware {
  const variant = (csp: HelmetOptions['contentSecurityPolicy'], withHsts: boolean) =>
    helmet({ contentSecurityPolicy: csp, strictTransportSecurity: withHsts ? hsts : false });
  const api = variant(apiPolicy, false);
  const docs = variant(docsPolicy, false);
  const apiHttps = options.hsts ? variant(apiPolicy, true) : api;
  const docsHttps = options.hsts ? variant(docsPolicy, true) : docs;
  return function securityHeaders(ctx, next) {
    const isDocs = ctx.path === docsPrefix || ctx.path.startsWith(`${docsPrefix}/`);
    const chosen = ctx.secure ? (isDocs ? docsHttps : apiHttps) : isDocs ? docs : api;
    return chosen(ctx, next);
  };
}
