import { STATUS_CODES } from 'node:http';

/**
 * The stable problem types this API answers with. Clients may switch on `type`; the slugs never change meaning.
 * Documented in docs/problems.md.
 */
export const problemTypes = {
  'bad-request': 400,
  'malformed-json': 400,
  'malformed-body': 400,
  'invalid-url': 400,
  'untrusted-host': 400,
  unauthorized: 401,
  forbidden: 403,
  'geo-blocked': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'validation-failed': 422,
  'rate-limited': 429,
  internal: 500,
  'not-implemented': 501,
  unavailable: 503,
} as const satisfies Record<string, number>;

export type ProblemType = keyof typeof problemTypes;

const byStatus = new Map<number, ProblemType>();
for (const [slug, status] of Object.entries(problemTypes) as [ProblemType, number][]) {
  if (!byStatus.has(status)) byStatus.set(status, slug);
}

/** The generic type for a status; statuses without a dedicated type fall back to bad-request or internal. */
export function problemTypeForStatus(status: number): ProblemType {
  return byStatus.get(status) ?? (status >= 500 ? 'internal' : 'bad-request');
}

export const problemTypeUri = (slug: ProblemType) => `/problems/${slug}`;

export const titleFor = (status: number) => STATUS_CODES[status] ?? 'Error';
