export const apiPrefix = '/api/v1';

/**
 * One rule for every layer that matches paths: a path matches exactly as sent (case-sensitive, no decoding,
 * no dot-segment folding). Rate-limit policies, body limits, the health exemptions and the security headers
 * compare `ctx.path` with `startsWith`/equality; the routers must be as strict, or `/API/V1/AUTH/TOKEN`
 * reaches the login handler without the login limits. @koa/router matches case-insensitively unless told.
 */
export const routerOptions = { sensitive: true } as const;

export const healthPaths = { live: `${apiPrefix}/health/live`, ready: `${apiPrefix}/health/ready` } as const;

const health = new Set<string>(Object.values(healthPaths));

/** Probes must never be rate limited or refused for their Host: they decide whether we get traffic. */
export const isHealthPath = (path: string) => health.has(path);
