import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Logger } from '../../observability/logger.js';
import type { TokenInfo, VaultClient } from './vault-client.js';
import { toVaultError } from './vault-error.js';

export interface TokenKeeperOptions {
  /** Renew when this fraction of the TTL has passed (node-vault's `renewFraction`). */
  readonly renewFraction?: number;
  /** Backoff between recovery attempts: from this delay, doubling (with jitter) up to `maxDelayMs`. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export type TokenState = 'valid' | 'recovering' | 'stopped';

/**
 * Keeps the Vault token alive for the life of the process. node-vault's `startTokenRenewal` renews before
 * expiry but stops for good on its first error or when the token reaches its max TTL; this wraps it: on either
 * event it recovers (a new Kubernetes login, or a renewal retry for a static token), with exponential backoff
 * and no attempt limit, then resumes node-vault's loop with the new TTL.
 */
export class TokenKeeper {
  readonly #client: VaultClient;
  readonly #log: Logger;
  readonly #renewFraction: number;
  readonly #abort = new AbortController();
  readonly #recovery;
  #state: TokenState = 'valid';
  #recovering: Promise<void> | undefined;
  #reloginTimer: NodeJS.Timeout | undefined;
  /** The TTL a fresh token gets: renewals granting less are capped by the max TTL. */
  #fullTtlSeconds = 0;

  constructor(client: VaultClient, log: Logger, options: TokenKeeperOptions = {}) {
    this.#client = client;
    this.#log = log;
    this.#renewFraction = options.renewFraction ?? 0.66;
    this.#recovery = retry(handleAll, {
      maxAttempts: Number.POSITIVE_INFINITY,
      backoff: new ExponentialBackoff({
        initialDelay: options.initialDelayMs ?? 500,
        maxDelay: options.maxDelayMs ?? 30_000,
      }),
    }).dangerouslyUnref();
    this.#recovery.onRetry(({ delay, attempt, ...reason }) => {
      const err = 'error' in reason ? reason.error : undefined;
      this.#log.warn({ err, attempt, retryInMs: Math.round(delay) }, 'vault token recovery failed; retrying');
    });
  }

  get state(): TokenState {
    return this.#state;
  }

  /** Starts keeping the token from `login()` (or the configured token) alive. */
  start(token: TokenInfo): void {
    const api = this.#client.api;
    api.on('token:renewed', this.#onRenewed);
    api.on('token:error:renew', this.#onRenewError);
    api.on('token:expired', this.#onExpired);
    this.#keep(token);
  }

  stop(): void {
    this.#state = 'stopped';
    this.#abort.abort();
    clearTimeout(this.#reloginTimer);
    const api = this.#client.api;
    api.stopTokenRenewal();
    api.off('token:renewed', this.#onRenewed);
    api.off('token:error:renew', this.#onRenewError);
    api.off('token:expired', this.#onExpired);
  }

  /** Resolves once a running recovery has finished (tests and shutdown use it). */
  async settled(): Promise<void> {
    await this.#recovering;
  }

  readonly #onRenewed = (response: { auth?: { lease_duration?: number } }) => {
    const ttlSeconds = Number(response?.auth?.lease_duration ?? 0);
    this.#log.debug({ ttlSeconds }, 'vault token renewed');
    // A renewal granting less than a full TTL means the max TTL is near: log in again now, while the old token
    // still works, rather than after it has expired.
    if (this.#client.settings.auth.method === 'kubernetes' && ttlSeconds < this.#fullTtlSeconds) {
      this.#log.info({ ttlSeconds }, 'vault token nears its max TTL; logging in again');
      this.#client.api.stopTokenRenewal();
      this.#recover();
    }
  };

  readonly #onRenewError = (error: unknown) => {
    this.#log.warn({ err: toVaultError('token renew-self', error, 0) }, 'vault token renewal failed');
    this.#recover();
  };

  readonly #onExpired = () => {
    this.#log.info('vault token can no longer be renewed');
    this.#recover();
  };

  #keep(token: TokenInfo): void {
    if (this.#state === 'stopped' || token.ttlSeconds <= 0) return; // a token without TTL never expires
    this.#fullTtlSeconds = token.ttlSeconds;
    if (token.renewable) {
      void this.#client.api.startTokenRenewal({ ttl: token.ttlSeconds, renewFraction: this.#renewFraction });
      return;
    }
    // A token that cannot be renewed is replaced by a new login before it expires.
    this.#reloginTimer = setTimeout(() => this.#recover(), token.ttlSeconds * this.#renewFraction * 1000);
    this.#reloginTimer.unref();
  }

  #recover(): void {
    if (this.#recovering || this.#state === 'stopped') return;
    this.#state = 'recovering';
    const { signal } = this.#abort;
    this.#recovering = this.#recovery
      .execute(() => {
        if (signal.aborted) throw new Error('stopped');
        // Kubernetes auth can always log in again; a static token can only be renewed.
        return this.#client.settings.auth.method === 'kubernetes'
          ? this.#client.login()
          : this.#client.renewSelf();
      }, signal)
      .then(
        (token) => {
          this.#recovering = undefined;
          if (signal.aborted) return;
          this.#state = 'valid';
          this.#log.info({ ttlSeconds: token.ttlSeconds }, 'vault token recovered');
          this.#keep(token);
        },
        () => {
          this.#recovering = undefined;
        },
      );
  }
}
