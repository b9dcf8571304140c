import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipherError } from '../../src/adapters/crypto/ciphertext.js';
import { TransitFieldCipher } from '../../src/adapters/crypto/transit-field-cipher.js';
import { VaultClient } from '../../src/adapters/vault/vault-client.js';
import { Unavailable } from '../../src/shared/errors.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { vaultSettings } from '../vault/vault-env.js';

describe('Vault transit field cipher', () => {
  let fake: VaultFake;
  let client: VaultClient;
  const newCipher = (key: string) => new TransitFieldCipher(client, { mount: 'transit', key });

  beforeAll(async () => {
    fake = await startVaultFake();
    client = new VaultClient(
      vaultSettings(fake, { VAULT_TOKEN: fake.issueToken(), VAULT_BREAKER_FAILURES: '100' }),
    );
  });
  afterAll(() => fake.stop());

  it('round-trips text through Vault, which sees only base64 and returns vault:v1 ciphertext', async () => {
    fake.createTransitKey('transit', 'round-trip');
    const cipher = newCipher('round-trip');
    const ciphertext = await cipher.encrypt('Zoë Ångström 🚀');
    expect(ciphertext).toMatch(/^vault:v1:[A-Za-z0-9+/=]+$/);
    expect(ciphertext).not.toContain('Zoë');
    expect(await cipher.decrypt(ciphertext)).toBe('Zoë Ångström 🚀');
    expect(await cipher.encrypt('Zoë Ångström 🚀')).not.toBe(ciphertext);
  });

  it('keeps old rows readable after a rotation, marks them stale, and rewraps them to the new version', async () => {
    fake.createTransitKey('transit', 'rotating');
    const cipher = newCipher('rotating');
    const old = await cipher.encrypt('Grace Hopper');
    expect(cipher.isStale(old)).toBe(false);

    expect(fake.rotateTransitKey('transit', 'rotating')).toBe(2);
    expect(await cipher.refreshKeyVersion()).toBe(2);
    expect(cipher.isStale(old)).toBe(true);
    expect(await cipher.decrypt(old)).toBe('Grace Hopper');

    const rewrapped = await cipher.rewrap(old);
    expect(rewrapped).toMatch(/^vault:v2:/);
    expect(cipher.isStale(rewrapped)).toBe(false);
    expect(await cipher.decrypt(rewrapped)).toBe('Grace Hopper');
    expect(fake.count('transit/rewrap/rotating')).toBe(1);
    expect(fake.count('transit/decrypt/rotating')).toBe(2); // rewrap happens inside Vault: no decrypt call
  });

  it('learns a rotation from the next encryption', async () => {
    fake.createTransitKey('transit', 'learning');
    const cipher = newCipher('learning');
    const old = await cipher.encrypt('Edsger Dijkstra');
    fake.rotateTransitKey('transit', 'learning');
    expect(await cipher.encrypt('Barbara Liskov')).toMatch(/^vault:v2:/);
    expect(cipher.isStale(old)).toBe(true);
  });

  it('rejects ciphertexts that are not Vault ciphertexts or were tampered with', async () => {
    const cipher = newCipher('round-trip');
    await expect(cipher.decrypt('local:v1:AAAA')).rejects.toBeInstanceOf(FieldCipherError);
    const ciphertext = await cipher.encrypt('Alan Turing');
    const tampered = `${ciphertext.slice(0, -6)}AAAAA=`;
    await expect(cipher.decrypt(tampered)).rejects.toThrow(FieldCipherError);
  });

  it('turns an unreachable Vault into Unavailable, so a request gets 503 instead of a 500', async () => {
    fake.fault({ path: /^transit\/encrypt\//, status: 503, times: 1 });
    const error = await newCipher('round-trip')
      .encrypt('Katherine Johnson')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unavailable);
    expect(JSON.stringify(error)).not.toContain('Katherine');
  });
});
