import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';

/**
 * A failed Vault call, rebuilt from scratch so nothing of the request travels with it: the errors of node-vault
 * and axios carry the request (the `X-Vault-Token` header, a transit plaintext, a login JWT) and a logger would
 * print all of it. Only the operation, the HTTP status and Vault's own error text survive.
 */
export class VaultError extends Error {
  override name = 'VaultError';
  constructor(
    readonly operation: string,
    detail: string,
    /** Vault's HTTP status, when Vault answered. */
    readonly status: number | undefined,
    /** Worth retrying (no answer, 5xx, 429): these are what open the circuit; a 403 or 404 is an answer. */
    readonly transient: boolean,
  ) {
    super(`vault ${operation}: ${detail}`);
  }

  /** Our token is no longer accepted (expired, revoked): only a new login helps. */
  get deniedAccess(): boolean {
    return this.status === 403;
  }
}

interface ApiResponseError {
  response: { statusCode: number; body?: { errors?: unknown[] } };
}
interface NetworkError {
  code?: string;
  message?: string;
}

const isApiResponse = (error: unknown): error is ApiResponseError =>
  typeof (error as ApiResponseError | undefined)?.response?.statusCode === 'number';

export function toVaultError(operation: string, error: unknown, timeoutMs: number): VaultError {
  if (error instanceof VaultError) return error;
  if (error instanceof BrokenCircuitError) {
    return new VaultError(
      operation,
      'circuit open after repeated failures; not calling Vault',
      undefined,
      true,
    );
  }
  if (error instanceof TaskCancelledError) {
    return new VaultError(operation, `no answer within ${timeoutMs} ms`, undefined, true);
  }
  if (isApiResponse(error)) {
    const { statusCode, body } = error.response;
    const said = body?.errors?.find((item): item is string => typeof item === 'string');
    const detail = said ? `${statusCode} ${said.slice(0, 200)}` : `${statusCode}`;
    return new VaultError(operation, detail, statusCode, statusCode >= 500 || statusCode === 429);
  }
  const { code, message } = (error ?? {}) as NetworkError;
  // axios' own messages ("timeout of 500ms exceeded", "connect ECONNREFUSED 10.0.0.5:8200") name no secret.
  return new VaultError(operation, message || code || 'request failed', undefined, true);
}
