import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipherError } from '../../src/adapters/crypto/ciphertext.js';
import { LocalFieldCipher } from '../../src/adapters/crypto/local-field-cipher.js';

const key = () => randomBytes(32).toString('base64');

describe('local field cipher (AES-256-GCM)', () => {
  it('round-trips text and never writes the plaintext', async () => {
    const cipher = new LocalFieldCipher([key()]);
    const ciphertext = await cipher.encrypt('Zoë Ångström 🚀');
    expect(ciphertext).toMatch(/^local:v1:[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(ciphertext.split(':')[2]!, 'base64').toString('latin1')).not.toContain('Ångström');
    expect(await cipher.decrypt(ciphertext)).toBe('Zoë Ångström 🚀');
  });

  it('uses a fresh IV each time: equal plaintexts give different ciphertexts', async () => {
    const cipher = new LocalFieldCipher([key()]);
    const [a, b] = await Promise.all([cipher.encrypt('same'), cipher.encrypt('same')]);
    expect(a).not.toBe(b);
  });

  it('detects tampering and a wrong key', async () => {
    const cipher = new LocalFieldCipher([key()]);
    const ciphertext = await cipher.encrypt('Ada Lovelace');
    const raw = Buffer.from(ciphertext.slice('local:v1:'.length), 'base64');
    raw[14] = (raw[14] ?? 0) ^ 1;
    await expect(cipher.decrypt(`local:v1:${raw.toString('base64')}`)).rejects.toBeInstanceOf(
      FieldCipherError,
    );
    await expect(new LocalFieldCipher([key()]).decrypt(ciphertext)).rejects.toThrow(/failed authentication/);
    await expect(cipher.decrypt('vault:v1:abc')).rejects.toThrow(/not a local field ciphertext/);
    await expect(cipher.decrypt('local:v9:abc')).rejects.toThrow(/no local field key version 9/);
  });

  it('rotates by adding a key: old rows stay readable, are stale, and rewrap to the newest key', async () => {
    const first = key();
    const before = new LocalFieldCipher([first]);
    const old = await before.encrypt('Grace Hopper');
    const after = new LocalFieldCipher([first, key()]);
    expect(after.isStale(old)).toBe(true);
    expect(await after.decrypt(old)).toBe('Grace Hopper');
    const rewrapped = await after.rewrap(old);
    expect(rewrapped).toMatch(/^local:v2:/);
    expect(after.isStale(rewrapped)).toBe(false);
    expect(await after.decrypt(rewrapped)).toBe('Grace Hopper');
    await expect(before.decrypt(rewrapped)).rejects.toThrow(FieldCipherError);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new LocalFieldCipher([randomBytes(16).toString('base64')])).toThrow(/not 32 bytes/);
    expect(() => new LocalFieldCipher([])).toThrow(/at least one key/);
  });
});
