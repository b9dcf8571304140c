import { Unavailable } from '../../shared/errors.js';
import type { TransitResult, VaultClient } from '../vault/vault-client.js';
import { VaultError } from '../vault/vault-error.js';
import { FieldCipherError, parseCiphertext } from './ciphertext.js';
import type { FieldCipher } from './field-cipher.js';

/**
 * Vault transit: the key never leaves Vault, ciphertexts are Vault's own `vault:v<n>:...` and name the key
 * version, and `rewrap` moves a ciphertext to the newest version without the plaintext leaving Vault.
 * A Vault that does not answer becomes `Unavailable` (503, retry later); a refused ciphertext, a
 * `FieldCipherError`.
 */
export class TransitFieldCipher implements FieldCipher {
  readonly #client: VaultClient;
  readonly #mount: string;
  readonly #key: string;
  #latestVersion = 0;

  constructor(client: VaultClient, transit: { readonly mount: string; readonly key: string }) {
    this.#client = client;
    this.#mount = transit.mount;
    this.#key = transit.key;
  }

  /** The newest key version seen in any answer from Vault (0 before the first call). */
  get latestVersion(): number {
    return this.#latestVersion;
  }

  /**
   * Learns the newest key version now. Encrypts a probe instead of reading the key, because encrypt is what
   * the service's policy already allows.
   */
  async refreshKeyVersion(): Promise<number> {
    await this.encrypt('key-version-probe');
    return this.#latestVersion;
  }

  async encrypt(plaintext: string): Promise<string> {
    const plaintextBase64 = Buffer.from(plaintext, 'utf8').toString('base64');
    return this.#observe(await this.#guard(this.#client.encrypt(this.#mount, this.#key, plaintextBase64)));
  }

  async decrypt(ciphertext: string): Promise<string> {
    if (parseCiphertext(ciphertext)?.scheme !== 'vault') throw new FieldCipherError('not a Vault ciphertext');
    const plaintextBase64 = await this.#guard(this.#client.decrypt(this.#mount, this.#key, ciphertext));
    return Buffer.from(plaintextBase64, 'base64').toString('utf8');
  }

  async rewrap(ciphertext: string): Promise<string> {
    if (parseCiphertext(ciphertext)?.scheme !== 'vault') throw new FieldCipherError('not a Vault ciphertext');
    return this.#observe(await this.#guard(this.#client.rewrap(this.#mount, this.#key, ciphertext)));
  }

  isStale(ciphertext: string): boolean {
    const parsed = parseCiphertext(ciphertext);
    return parsed !== undefined && parsed.keyVersion < this.#latestVersion;
  }

  #observe(result: TransitResult): string {
    this.#latestVersion = Math.max(this.#latestVersion, result.keyVersion);
    return result.ciphertext;
  }

  async #guard<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof VaultError && !error.transient) throw new FieldCipherError(error.message);
      throw new Unavailable('Field encryption is unavailable right now.', 5);
    }
  }
}
