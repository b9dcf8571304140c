export const apiPrefix = '/api/v1';

export const healthPaths = { live: `${apiPrefix}/health/live`, ready: `${apiPrefix}/health/ready` } as const;

const health = new Set<string>(Object.values(healthPaths));

/** Probes must never be rate limited or refused for their Host: they decide whether we get traffic. */
export const isHealthPath = (path: string) => health.has(path);
