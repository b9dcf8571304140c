/**
 * The resources a key may be scoped to: the API's tags whose routes a key may call (items, users, audit).
 * Auth (sessions, tokens) and api-keys are not among them: only a signed-in session manages credentials.
 * A GET needs `<resource>:read`, any other method `<resource>:write`. A test checks this list against the routes.
 */
export const apiKeyScopes = ['items:read', 'items:write', 'users:read', 'users:write', 'audit:read'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

const known = new Set<string>(apiKeyScopes);

/** The scope a route needs from a key: derived from its tag and method; undefined when keys may not call it. */
export function scopeFor(route: { tag: string; method: string }): ApiKeyScope | undefined {
  const scope = `${route.tag}:${route.method === 'get' ? 'read' : 'write'}`;
  return known.has(scope) ? (scope as ApiKeyScope) : undefined;
}
