/**
 * Errors raised where a rule is broken. They carry no HTTP bodies: the error boundary at the edge maps each
 * kind to a problem response (http/problems/).
 */
export abstract class AppError extends Error {
  abstract readonly kind:
    | 'not-found'
    | 'conflict'
    | 'unauthorized'
    | 'forbidden'
    | 'invalid'
    | 'throttled'
    | 'unavailable';
  override name = this.constructor.name;
  constructor(
    message: string,
    /** Extra members for the problem response (RFC 9457 extensions): safe for clients to see. */
    readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export class NotFound extends AppError {
  readonly kind = 'not-found';
}

export class Conflict extends AppError {
  readonly kind = 'conflict';
}

export class Unauthorized extends AppError {
  readonly kind = 'unauthorized';
}

export class Forbidden extends AppError {
  readonly kind = 'forbidden';
}

export interface FieldError {
  /** JSON pointer-like path of the offending field, e.g. `email` or `items.0.title`. */
  readonly field: string;
  readonly message: string;
}

export class Invalid extends AppError {
  readonly kind = 'invalid';
  constructor(
    message: string,
    readonly errors: readonly FieldError[],
  ) {
    super(message);
  }
}

/** A dependency (database, cache, secret store) cannot serve the request right now; the client may retry. */
export class Unavailable extends AppError {
  readonly kind = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
    extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(message, extensions);
  }
}

/** Too many attempts (e.g. failed logins) for this account or address; retry after the given seconds. */
export class Throttled extends AppError {
  readonly kind = 'throttled';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
