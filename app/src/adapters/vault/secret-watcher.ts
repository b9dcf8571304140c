import type { Logger } from '../../observability/logger.js';
import type { SecretStore, SecretsListener } from './secret-store.js';
import type { KvSecret, VaultClient } from './vault-client.js';

/**
 * Re-reads the service's KV secret on an interval and tells subscribers which keys changed, so a rotated value
 * reaches the process without a restart. A failed read keeps the last values (logged, retried next interval); a
 * listener that throws is logged and does not stop the others.
 */
export class SecretWatcher implements SecretStore {
  readonly #client: VaultClient;
  readonly #log: Logger;
  readonly #listeners = new Set<SecretsListener>();
  #current: KvSecret;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(client: VaultClient, initial: KvSecret, log: Logger) {
    this.#client = client;
    this.#current = initial;
    this.#log = log;
  }

  get version(): number {
    return this.#current.version;
  }

  get(key: string): string | undefined {
    return this.#current.values[key];
  }

  onSecretsChanged(listener: SecretsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Reads Vault now; resolves with the changed keys (empty when nothing changed or the read failed). */
  async refresh(): Promise<readonly string[]> {
    let next: KvSecret;
    try {
      next = await this.#client.readSecret();
    } catch (error) {
      this.#log.warn({ err: error }, 'vault secrets re-read failed; keeping the last values');
      return [];
    }
    const before = this.#current.values;
    const keys = new Set([...Object.keys(before), ...Object.keys(next.values)]);
    const changed = [...keys].filter((key) => before[key] !== next.values[key]).sort();
    this.#current = next;
    if (changed.length === 0) return changed;
    this.#log.info({ changed, version: next.version }, 'vault secrets changed');
    for (const listener of this.#listeners) {
      try {
        listener({ changed, values: next.values });
      } catch (error) {
        // The message may quote the value that failed to parse: log the type only.
        this.#log.error(
          { changed, errorType: (error as Error)?.name },
          'a secrets listener rejected the change',
        );
      }
    }
    return changed;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.refresh().finally(() => this.#schedule());
    }, this.#client.settings.kv.refreshMs);
    this.#timer.unref();
  }
}
