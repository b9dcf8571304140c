import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FieldCipherError, parseCiphertext } from './ciphertext.js';
import type { FieldCipher } from './field-cipher.js';

const scheme = 'local';
const ivBytes = 12;
const tagBytes = 16;

/**
 * AES-256-GCM with keys from configuration, for the tiers without Vault transit. Keys are versioned by
 * position (oldest first, the last one encrypts), so adding a key rotates: old rows stay readable and the
 * re-wrap command moves them to the newest key. Payload: base64(iv | ciphertext | tag), a fresh random IV each
 * time.
 */
export class LocalFieldCipher implements FieldCipher {
  readonly #keys: readonly Buffer[];

  constructor(base64Keys: readonly string[]) {
    if (base64Keys.length === 0) throw new Error('LocalFieldCipher needs at least one key');
    this.#keys = base64Keys.map((key, index) => {
      const bytes = Buffer.from(key, 'base64');
      if (bytes.length !== 32) throw new Error(`field encryption key ${index + 1} is not 32 bytes of base64`);
      return bytes;
    });
  }

  get latestVersion(): number {
    return this.#keys.length;
  }

  async encrypt(plaintext: string): Promise<string> {
    const version = this.latestVersion;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#keys[version - 1]!, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const payload = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
    return `${scheme}:v${version}:${payload}`;
  }

  async decrypt(ciphertext: string): Promise<string> {
    const parsed = parseCiphertext(ciphertext);
    if (parsed?.scheme !== scheme) throw new FieldCipherError('not a local field ciphertext');
    const key = this.#keys[parsed.keyVersion - 1];
    if (!key) throw new FieldCipherError(`no local field key version ${parsed.keyVersion}`);
    const raw = Buffer.from(parsed.payload, 'base64');
    if (raw.length < ivBytes + tagBytes) throw new FieldCipherError('field ciphertext is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, ivBytes));
    decipher.setAuthTag(raw.subarray(raw.length - tagBytes));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(ivBytes, raw.length - tagBytes)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new FieldCipherError('field ciphertext failed authentication (tampered, or another key)');
    }
  }

  /** Decrypt and encrypt again in-process: unlike Vault, the local key holder sees the plaintext anyway. */
  async rewrap(ciphertext: string): Promise<string> {
    return this.encrypt(await this.decrypt(ciphertext));
  }

  isStale(ciphertext: string): boolean {
    const parsed = parseCiphertext(ciphertext);
    return parsed !== undefined && parsed.keyVersion < this.latestVersion;
  }
}
