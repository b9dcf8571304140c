import { AppError, type FieldError, Invalid, Throttled, Unavailable } from '../../shared/errors.js';
import { type ProblemType, problemTypeForStatus, problemTypes } from './problem-types.js';

/** What the error boundary renders: RFC 9457 members plus our extensions. */
export interface Problem {
  readonly status: number;
  readonly slug: ProblemType;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** True when this is our fault: logged with its stack, detail hidden from the client. */
  readonly unexpected: boolean;
}

const appErrorTypes: Record<AppError['kind'], ProblemType> = {
  'not-found': 'not-found',
  conflict: 'conflict',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  invalid: 'validation-failed',
  throttled: 'rate-limited',
  unavailable: 'unavailable',
};

/** Errors thrown by http-errors (ctx.throw, body parsers, routers) and by our own layers with a `problem` slug. */
interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  problem?: unknown;
  headers?: unknown;
  message: string;
}

export function toProblem(error: unknown): Problem {
  if (error instanceof AppError) {
    const slug = appErrorTypes[error.kind];
    return {
      status: problemTypes[slug],
      slug,
      detail: error.message,
      errors: error instanceof Invalid ? error.errors : undefined,
      extensions: error.extensions,
      headers:
        (error instanceof Unavailable || error instanceof Throttled) && error.retryAfterSeconds
          ? { 'Retry-After': String(error.retryAfterSeconds) }
          : undefined,
      unexpected: false,
    };
  }
  if (isZodError(error)) {
    return {
      status: 422,
      slug: 'validation-failed',
      detail: 'The request has invalid fields.',
      errors: error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
      unexpected: false,
    };
  }
  const http = error as HttpLikeError;
  const status = Number(http?.status ?? http?.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 600) {
    const exposed = http.expose === true || (http.expose === undefined && status < 500);
    return {
      status,
      slug: isProblemType(http.problem) ? http.problem : slugFromParser(error, status),
      detail: exposed ? http.message : 'The server could not complete the request.',
      headers: stringHeaders(http.headers),
      unexpected: status >= 500,
    };
  }
  return {
    status: 500,
    slug: 'internal',
    detail: 'The server could not complete the request.',
    unexpected: true,
  };
}

function slugFromParser(error: unknown, status: number): ProblemType {
  // The body parser reports unparsable JSON as a SyntaxError with status 400: it deserves its own type.
  if (error instanceof SyntaxError && status === 400) return 'malformed-json';
  return problemTypeForStatus(status);
}

function isProblemType(value: unknown): value is ProblemType {
  return typeof value === 'string' && value in problemTypes;
}

function isZodError(error: unknown): error is { issues: { path: PropertyKey[]; message: string }[] } {
  return (
    error instanceof Error &&
    error.name === 'ZodError' &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

function stringHeaders(headers: unknown): Record<string, string> | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}
