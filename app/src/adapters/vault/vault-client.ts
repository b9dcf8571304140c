import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type IPolicy,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import nodeVault from 'node-vault';
import type { VaultSettings } from '../../config/index.js';
import { toVaultError, VaultError } from './vault-error.js';

export interface TokenInfo {
  /** Seconds the token has left (0: never expires, e.g. a root token). */
  readonly ttlSeconds: number;
  readonly renewable: boolean;
}

export interface KvSecret {
  readonly version: number;
  readonly values: Readonly<Record<string, string>>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

const breakerStates: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * node-vault, with the two things it lacks: a bound on every call (its own HTTP timeout, and an outer one for
 * anything the socket timeout misses) and a circuit breaker, so that a dead Vault costs a caller milliseconds
 * once it has failed `breaker.failures` times in a row. Only transient failures (no answer, 5xx) count; a 403 or
 * 404 is an answer. Errors leave as `VaultError`, stripped of the request.
 */
export class VaultClient {
  readonly #api: nodeVault.client;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #policy: IPolicy;
  #loginFailures = 0;
  #tokenExpiresAt: number | undefined;

  constructor(readonly settings: VaultSettings) {
    this.#api = nodeVault({
      apiVersion: 'v1',
      endpoint: settings.address,
      token: settings.auth.method === 'token' ? settings.auth.token : undefined,
      requestOptions: {
        timeout: settings.requestTimeoutMs,
        ...(settings.caCertFile ? { ca: readFileSync(settings.caCertFile) } : {}),
      },
    });
    this.#breaker = circuitBreaker(
      handleWhen((error) => !(error instanceof VaultError) || error.transient),
      {
        halfOpenAfter: settings.breaker.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(settings.breaker.failures),
      },
    );
    this.#policy = wrap(this.#breaker, timeout(settings.requestTimeoutMs, TimeoutStrategy.Aggressive));
    // node-vault's own renewal loop calls renew-self past `renewSelf()`: its answers move the expiry too.
    this.#api.on('token:renewed', (response: { auth?: { lease_duration?: number } }) =>
      this.#noteToken(tokenInfo(response?.auth?.lease_duration, true), 'renewal'),
    );
  }

  /** Kubernetes auth logins that failed (refused, or no answer) since this client was made: for metrics. */
  get loginFailures(): number {
    return this.#loginFailures;
  }

  /**
   * Unix seconds when the token this client holds expires, as of the last login, lookup or renewal
   * (Infinity: it never does; undefined: nothing known yet): for metrics.
   */
  get tokenExpiresAt(): number | undefined {
    return this.#tokenExpiresAt;
  }

  /** The raw node-vault client, for its token renewal loop (see token-keeper.ts). */
  get api(): nodeVault.client {
    return this.#api;
  }

  get breakerState(): BreakerState {
    return breakerStates[this.#breaker.state];
  }

  onBreakerStateChange(listener: (state: BreakerState) => void): void {
    this.#breaker.onStateChange((state) => listener(breakerStates[state]));
  }

  /** Runs one Vault call under the timeout and the breaker. */
  async call<T>(operation: string, request: (api: nodeVault.client) => Promise<T>): Promise<T> {
    try {
      return await this.#policy.execute(async () => {
        try {
          return await request(this.#api);
        } catch (error) {
          throw toVaultError(operation, error, this.settings.requestTimeoutMs);
        }
      });
    } catch (error) {
      throw toVaultError(operation, error, this.settings.requestTimeoutMs);
    }
  }

  /**
   * Obtains a working token: Kubernetes auth logs in with the pod's service-account token (read again each time:
   * projected tokens rotate); token auth checks the configured token.
   */
  async login(): Promise<TokenInfo> {
    const { auth } = this.settings;
    if (auth.method === 'token') return this.lookupSelf();
    try {
      const jwt = (await readFile(auth.tokenPath, 'utf8')).trim();
      const response = await this.call('kubernetes login', (api) =>
        // node-vault stores the returned client token for every later call.
        api.kubernetesLogin({ role: auth.role, jwt, mount_point: auth.mount }),
      );
      return this.#noteToken(tokenInfo(response?.auth?.lease_duration, response?.auth?.renewable));
    } catch (error) {
      this.#loginFailures += 1;
      throw error;
    }
  }

  async lookupSelf(): Promise<TokenInfo> {
    const response = await this.call('token lookup-self', (api) => api.tokenLookupSelf());
    return this.#noteToken(tokenInfo(response?.data?.ttl, response?.data?.renewable));
  }

  async renewSelf(): Promise<TokenInfo> {
    const response = await this.call('token renew-self', (api) => api.tokenRenewSelf());
    return this.#noteToken(tokenInfo(response?.auth?.lease_duration, response?.auth?.renewable), 'renewal');
  }

  /** A TTL counts from Vault's answer, which has just arrived. */
  #noteToken(token: TokenInfo, from: 'login or lookup' | 'renewal' = 'login or lookup'): TokenInfo {
    const now = Date.now() / 1000;
    // TTL 0 from a login or lookup is a token without expiry (root); from a renewal, one at its max TTL.
    const zeroTtl = from === 'renewal' ? now : Number.POSITIVE_INFINITY;
    this.#tokenExpiresAt = token.ttlSeconds > 0 ? now + token.ttlSeconds : zeroTtl;
    return token;
  }

  /** The service's KV v2 secret. Non-string values (JSON objects, arrays) arrive as JSON text. */
  async readSecret(): Promise<KvSecret> {
    const { mount, path } = this.settings.kv;
    const response = await this.call('kv read', (api) => api.read(`${mount}/data/${path}`));
    const data: Record<string, unknown> = response?.data?.data ?? {};
    const values = Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
    return { version: Number(response?.data?.metadata?.version ?? 0), values };
  }

  /** `vault:v<n>:...` for the base64 plaintext, under the newest key version. */
  encrypt(mount: string, key: string, plaintextBase64: string): Promise<TransitResult> {
    return this.call('transit encrypt', (api) =>
      api.write(`${mount}/encrypt/${key}`, { plaintext: plaintextBase64 }).then(transitResult),
    );
  }

  async decrypt(mount: string, key: string, ciphertext: string): Promise<string> {
    const response = await this.call('transit decrypt', (api) =>
      api.write(`${mount}/decrypt/${key}`, { ciphertext }),
    );
    return String(response?.data?.plaintext ?? '');
  }

  rewrap(mount: string, key: string, ciphertext: string): Promise<TransitResult> {
    return this.call('transit rewrap', (api) =>
      api.write(`${mount}/rewrap/${key}`, { ciphertext }).then(transitResult),
    );
  }
}

export interface TransitResult {
  readonly ciphertext: string;
  readonly keyVersion: number;
}

function transitResult(response: { data?: { ciphertext?: string; key_version?: number } }): TransitResult {
  const ciphertext = String(response?.data?.ciphertext ?? '');
  const keyVersion = Number(response?.data?.key_version ?? /^vault:v(\d+):/.exec(ciphertext)?.[1] ?? 0);
  return { ciphertext, keyVersion };
}

function tokenInfo(ttl: unknown, renewable: unknown): TokenInfo {
  return { ttlSeconds: Number(ttl ?? 0), renewable: renewable === true };
}
