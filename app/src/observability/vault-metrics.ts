import type { Metrics } from './metrics.js';

/** The node-vault client's event surface, as far as renewals go. */
interface RenewalEvents {
  on(event: 'token:error:renew', listener: (error: unknown) => void): unknown;
}

/**
 * Counts failed renewals of the service's Vault token. Each failure is also recovered from (a new login or a
 * retry, logged by the token keeper); a rising count with no recovery ends in secrets that can no longer be
 * read or rotated.
 */
export function observeVaultRenewals(
  api: RenewalEvents,
  metrics: Pick<Metrics, 'recordVaultRenewalFailure'>,
): void {
  api.on('token:error:renew', () => metrics.recordVaultRenewalFailure());
}
