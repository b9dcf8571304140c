import { Forbidden, Unauthorized } from '../../shared/errors.js';
import type { DenialReason } from './api-key.js';

/** A key that is not (or no longer) valid: 401, whatever the reason, so the answer tells a guesser nothing. */
export class ApiKeyRefused extends Unauthorized {
  constructor(readonly reason: DenialReason | 'malformed' | 'unknown') {
    super('The API key is not valid.');
  }
}

/** A valid key asked for something beyond its scopes or its owner's role: 403, audited by the key layer. */
export class ApiKeyDenied extends Forbidden {
  constructor(
    readonly reason: Extract<DenialReason, 'scope' | 'role' | 'session-only'>,
    message: string,
  ) {
    super(message);
  }
}
