import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldCipher } from '../../src/adapters/crypto/field-cipher.js';
import { LocalFieldCipher } from '../../src/adapters/crypto/local-field-cipher.js';
import { TransitFieldCipher } from '../../src/adapters/crypto/transit-field-cipher.js';
import { VaultClient } from '../../src/adapters/vault/vault-client.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { sharedRedisUrl } from '../support/test-app.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kvPath, signingKeys, transitKey, vaultEnv, vaultSettings } from '../vault/vault-env.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

function rewrapFields(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/rewrap-fields.ts', ...args], {
    cwd: appDir,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
}

const names = Array.from({ length: 16 }, (_, i) => `User Number ${i + 1}`);

describe('npm run fields:rewrap', () => {
  let fake: VaultFake;
  let database: TestDatabase;
  let db: pg.Pool;
  const keys = signingKeys();
  beforeAll(async () => {
    fake = await startVaultFake();
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await db.end();
    await database.drop();
    await fake.stop();
  });

  async function seedUsers(cipher: FieldCipher) {
    await db.query('DELETE FROM users');
    for (const [i, name] of names.entries()) {
      await db.query(
        `INSERT INTO users (id, email, password_hash, full_name, updated_at)
         VALUES (gen_random_uuid(), $1, 'not-a-hash', $2, now())`,
        [`user${i}@example.com`, await cipher.encrypt(name)],
      );
    }
  }
  const fullNames = async () =>
    (await db.query<{ full_name: string }>('SELECT full_name FROM users ORDER BY id')).rows.map(
      (r) => r.full_name,
    );
  const devEnv = () => ({
    APP_ENV: 'dev',
    DATABASE_URL: database.url,
    REDIS_URL: sharedRedisUrl,
    JWT_SIGNING_KEYS: keys.JWT_SIGNING_KEYS,
    JWT_ACTIVE_KID: keys.JWT_ACTIVE_KID,
    LOG_LEVEL: 'warn',
  });

  it('moves every user full name to a newly added local key, in batches, and does nothing on a second run', async () => {
    const oldKey = Buffer.alloc(32, 3).toString('base64');
    const newKey = Buffer.alloc(32, 4).toString('base64');
    await seedUsers(new LocalFieldCipher([oldKey]));
    const env = { ...devEnv(), FIELD_ENCRYPTION_KEYS: `${oldKey},${newKey}` };

    const first = await rewrapFields(env, ['--batch-size', '5']);
    expect(first.code).toBe(0);
    expect(first.output).toContain('users.full_name: 5 scanned, 5 rewrapped, 0 skipped; resume with');
    expect(first.output).toContain('users.full_name: done (16 rewrapped of 16)');
    const stored = await fullNames();
    expect(stored.every((value) => value.startsWith('local:v2:'))).toBe(true);
    const rotated = new LocalFieldCipher([oldKey, newKey]);
    expect((await Promise.all(stored.map((value) => rotated.decrypt(value)))).sort()).toEqual(
      [...names].sort(),
    );

    const second = await rewrapFields(env);
    expect(second.output).toContain('users.full_name: done (0 rewrapped of 16)');
  });

  it('rewraps through Vault transit with the database URL read from Vault', async () => {
    const token = fake.issueToken({ ttl: 3600 });
    const cipher = new TransitFieldCipher(new VaultClient(vaultSettings(fake, { VAULT_TOKEN: token })), {
      mount: 'transit',
      key: transitKey,
    });
    await seedUsers(cipher);
    fake.rotateTransitKey('transit', transitKey);
    fake.putSecret('secret', kvPath, { DATABASE_URL: database.url });
    const { DATABASE_URL: _fromVault, ...env } = devEnv();

    const run = await rewrapFields({ ...env, ...vaultEnv(fake, { VAULT_TOKEN: token }) });
    expect(run.code).toBe(0);
    expect(run.output).toContain('users.full_name: done (16 rewrapped of 16)');
    expect(fake.count(`transit/rewrap/${transitKey}`)).toBe(16);
    const stored = await fullNames();
    expect(stored.every((value) => /^vault:v\d+:/.test(value) && !cipher.isStale(value))).toBe(true);
    expect((await Promise.all(stored.map((value) => cipher.decrypt(value)))).sort()).toEqual(
      [...names].sort(),
    );
  });

  it('refuses a table that holds no encrypted column', async () => {
    const run = await rewrapFields(
      { ...devEnv(), FIELD_ENCRYPTION_KEYS: Buffer.alloc(32).toString('base64') },
      ['--after', '00000000-0000-0000-0000-000000000000', '--table', 'nope'],
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain('no encrypted column matches');
  });
});
