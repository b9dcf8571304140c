import type { Context } from 'koa';
import type { Problem } from './to-problem.js';

// Shorter strings ("id", "a") occur in any message by chance; masking them would garble it, not protect anyone.
const minimumLength = 4;

/** Every string the client sent: body keys and values, query names and values, path segments. */
function submittedStrings(ctx: Context): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        found.add(key);
        walk(child);
      }
    }
  };
  walk((ctx.request as { body?: unknown }).body);
  walk(ctx.query);
  for (const segment of ctx.path.split('/')) {
    found.add(segment);
    found.add(safeDecode(segment));
  }
  // Longest first, so a value is masked whole before any part of it.
  return [...found].filter((text) => text.length >= minimumLength).sort((a, b) => b.length - a.length);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * HIPAA mode: a problem never quotes what was submitted (an unknown key that is an email, a `?fields=` name,
 * a path segment): every such string is masked in the detail and the field errors. A body that is not JSON was
 * never parsed, so its parser's message (which quotes a piece of it) is replaced outright.
 */
export function withoutSubmittedValues(problem: Problem, ctx: Context): Problem {
  if (problem.slug === 'malformed-json') return { ...problem, detail: 'The body is not valid JSON.' };
  const submitted = submittedStrings(ctx);
  const mask = (text: string) =>
    submitted.reduce((masked, value) => masked.replaceAll(value, '[redacted]'), text);
  return {
    ...problem,
    detail: mask(problem.detail),
    errors: problem.errors?.map((error) => ({ field: mask(error.field), message: mask(error.message) })),
  };
}
