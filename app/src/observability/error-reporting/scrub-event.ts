import { redactedPaths } from '../logger.js';
import { scrubSecrets } from '../scrub-secrets.js';

/**
 * The field names the logger never writes, taken from its own redaction paths (`*.password`,
 * `req.headers["x-api-key"]`, ...), so an event and a log line hide the same fields.
 */
const redactedNames = new Set(
  redactedPaths.map((path) => {
    const bracketed = /\["([^"]+)"\]$/.exec(path);
    return (bracketed?.[1] ?? path.slice(path.lastIndexOf('.') + 1)).toLowerCase();
  }),
);

const censor = '[redacted]';

function scrub(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, seen));
  const scrubbed: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    scrubbed[key] = redactedNames.has(key.toLowerCase()) ? censor : scrub(child, seen);
  }
  return scrubbed;
}

/**
 * An error event as it may leave the process: every string in it (message, stack frames, tags, contexts)
 * through the logs' own secret patterns, every field the logs redact by name censored, and no request or user
 * at all (headers, cookies, bodies, query strings and client addresses are never sent).
 */
export function scrubEvent<T extends object>(event: T): T {
  const { request: _request, user: _user, ...rest } = event as T & { request?: unknown; user?: unknown };
  return scrub(rest, new WeakSet()) as T;
}
