import type { SecretSource, VaultSettings } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import type { SecretStore } from './secret-store.js';
import { SecretWatcher } from './secret-watcher.js';
import { TokenKeeper, type TokenKeeperOptions } from './token-keeper.js';
import { type KvSecret, type TokenInfo, VaultClient } from './vault-client.js';

/**
 * Everything the process keeps of Vault: one client, its token kept alive, the KV secret kept fresh.
 * Created before the configuration exists (it is one of the configuration's sources), started once the logger
 * exists, closed at shutdown.
 */
export class VaultRuntime implements SecretSource {
  readonly client: VaultClient;
  #token: TokenInfo | undefined;
  #initial: KvSecret | undefined;
  #keeper: TokenKeeper | undefined;
  #watcher: SecretWatcher | undefined;

  constructor(settings: VaultSettings) {
    this.client = new VaultClient(settings);
  }

  get location(): string {
    const { mount, path } = this.client.settings.kv;
    return `${mount}/data/${path}`;
  }

  /** Logs in (once) and reads the KV secret: the configuration's Vault layer. */
  async read(): Promise<Readonly<Record<string, string>>> {
    this.#token ??= await this.client.login();
    this.#initial = await this.client.readSecret();
    return this.#initial.values;
  }

  /** Starts token renewal and the periodic re-read; logs in and reads first if `read` was not called. */
  async start(log: Logger, options: TokenKeeperOptions = {}): Promise<void> {
    if (!this.#initial) await this.read();
    this.client.onBreakerStateChange((state) => {
      if (state === 'open') log.error('vault circuit open: calls fail fast until Vault answers again');
      else log.info({ state }, 'vault circuit state changed');
    });
    this.#keeper = new TokenKeeper(this.client, log.child({ component: 'vault' }), options);
    this.#keeper.start(this.#token!);
    this.#watcher = new SecretWatcher(this.client, this.#initial!, log.child({ component: 'vault' }));
    this.#watcher.start();
  }

  /** The secrets as last read; subscribe to apply rotated values. Available once started. */
  get secrets(): SecretStore & { refresh(): Promise<readonly string[]> } {
    if (!this.#watcher) throw new Error('VaultRuntime.start() has not run');
    return this.#watcher;
  }

  get tokenKeeper(): TokenKeeper | undefined {
    return this.#keeper;
  }

  /** Up while our token is accepted; fails in milliseconds while the circuit is open. */
  readonly readinessCheck: { readonly name: string; check(): Promise<unknown> } = {
    name: 'vault',
    check: () => this.client.lookupSelf(),
  };

  close(): void {
    this.#keeper?.stop();
    this.#watcher?.stop();
  }
}
