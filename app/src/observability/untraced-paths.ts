/** Scrapes and liveness probes arrive every few seconds and say nothing about a user's request. */
export const untracedPaths = new Set(['/metrics', '/api/v1/health/live']);
