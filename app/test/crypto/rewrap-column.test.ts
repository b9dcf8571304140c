import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldCipher } from '../../src/adapters/crypto/field-cipher.js';
import { LocalFieldCipher } from '../../src/adapters/crypto/local-field-cipher.js';
import { type RewrapProgress, rewrapColumn } from '../../src/adapters/crypto/rewrap-column.js';
import { TransitFieldCipher } from '../../src/adapters/crypto/transit-field-cipher.js';
import { VaultClient } from '../../src/adapters/vault/vault-client.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { vaultSettings } from '../vault/vault-env.js';

const names = Array.from({ length: 25 }, (_, i) => `Person Nr ${String(i + 1).padStart(2, '0')}`);

describe('encrypted column in PostgreSQL', () => {
  let fake: VaultFake;
  let database: TestDatabase;
  let db: pg.Pool;
  let client: VaultClient;

  beforeAll(async () => {
    fake = await startVaultFake();
    client = new VaultClient(vaultSettings(fake, { VAULT_TOKEN: fake.issueToken() }));
    database = await createTestDatabase({ migrate: false });
    db = new pg.Pool({ connectionString: database.url, max: 3 });
  });
  afterAll(async () => {
    await db.end();
    await database.drop();
    await fake.stop();
  });

  /** A table of its own per test, filled through the cipher like a repository would. */
  async function tableWith(cipher: FieldCipher) {
    const table = `people_${crypto.randomUUID().slice(0, 8)}`;
    await db.query(`CREATE TABLE ${table} (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), full_name text)`);
    for (const name of names) {
      await db.query(`INSERT INTO ${table} (full_name) VALUES ($1)`, [await cipher.encrypt(name)]);
    }
    await db.query(`INSERT INTO ${table} (full_name) VALUES (NULL)`);
    const raw = async () =>
      (
        await db.query<{ id: string; full_name: string | null }>(
          `SELECT id, full_name FROM ${table} ORDER BY id`,
        )
      ).rows;
    return { table, raw };
  }

  const decryptAll = (cipher: FieldCipher, rows: { full_name: string | null }[]) =>
    Promise.all(rows.filter((row) => row.full_name).map((row) => cipher.decrypt(row.full_name!)));

  it('holds Vault transit ciphertext, not the plaintext, and rewraps every row after a rotation', async () => {
    fake.createTransitKey('transit', 'people');
    const cipher = new TransitFieldCipher(client, { mount: 'transit', key: 'people' });
    const { table, raw } = await tableWith(cipher);

    const before = await raw();
    for (const row of before.filter((r) => r.full_name)) {
      expect(row.full_name).toMatch(/^vault:v1:/);
      expect(row.full_name).not.toContain('Person');
    }

    fake.rotateTransitKey('transit', 'people');
    const batches: RewrapProgress[] = [];
    const result = await rewrapColumn(db, {
      table,
      idColumn: 'id',
      column: 'full_name',
      cipher,
      batchSize: 10,
      onBatch: (progress) => batches.push(progress),
    });
    expect(result).toMatchObject({ scanned: 26, rewrapped: 25, skipped: 0 });
    expect(batches.map((batch) => batch.scanned)).toEqual([10, 20, 26]);

    const after = await raw();
    expect(after.filter((row) => row.full_name).every((row) => row.full_name!.startsWith('vault:v2:'))).toBe(
      true,
    );
    expect((await decryptAll(cipher, after)).sort()).toEqual(names);
    expect(after.find((row) => row.full_name === null)).toBeDefined();
  });

  it('resumes after an interruption from the last reported id, without touching finished rows', async () => {
    fake.createTransitKey('transit', 'resumable');
    const cipher = new TransitFieldCipher(client, { mount: 'transit', key: 'resumable' });
    const { table, raw } = await tableWith(cipher);
    fake.rotateTransitKey('transit', 'resumable');

    let calls = 0;
    const failing: FieldCipher = {
      encrypt: (text) => cipher.encrypt(text),
      decrypt: (text) => cipher.decrypt(text),
      isStale: (text) => cipher.isStale(text),
      rewrap: (text) => {
        calls += 1;
        if (calls === 13) throw new Error('process killed');
        return cipher.rewrap(text);
      },
    };
    await cipher.refreshKeyVersion();
    let reported: string | undefined;
    const column = { table, idColumn: 'id', column: 'full_name', batchSize: 5 };
    await expect(
      rewrapColumn(db, { ...column, cipher: failing, onBatch: (progress) => (reported = progress.lastId) }),
    ).rejects.toThrow('process killed');
    const interrupted = await raw();
    expect(interrupted.filter((row) => row.full_name?.startsWith('vault:v2:'))).toHaveLength(12);
    expect(reported).toBe(interrupted[9]?.id); // two full batches of five were reported

    const resumed = await rewrapColumn(db, { ...column, cipher, after: reported });
    expect(resumed).toMatchObject({ scanned: 16, rewrapped: 13, skipped: 0 });
    const after = await raw();
    expect(after.filter((row) => row.full_name?.startsWith('vault:v1:'))).toEqual([]);
    expect((await decryptAll(cipher, after)).sort()).toEqual(names);
  });

  it('leaves a row alone when a concurrent write changed it after the batch was read', async () => {
    fake.createTransitKey('transit', 'concurrent');
    const cipher = new TransitFieldCipher(client, { mount: 'transit', key: 'concurrent' });
    const { table, raw } = await tableWith(cipher);
    fake.rotateTransitKey('transit', 'concurrent');
    const [victim] = await raw();
    const written = await cipher.encrypt('Renamed Meanwhile');

    const racing: FieldCipher = {
      encrypt: (text) => cipher.encrypt(text),
      decrypt: (text) => cipher.decrypt(text),
      isStale: (text) => cipher.isStale(text),
      rewrap: async (text) => {
        if (text === victim?.full_name) {
          await db.query(`UPDATE ${table} SET full_name = $1 WHERE id = $2`, [written, victim.id]);
        }
        return cipher.rewrap(text);
      },
    };
    await cipher.refreshKeyVersion();
    const result = await rewrapColumn(db, {
      table,
      idColumn: 'id',
      column: 'full_name',
      cipher: racing,
      batchSize: 50,
    });
    expect(result).toMatchObject({ rewrapped: 24, skipped: 1 });
    const row = (await raw()).find((candidate) => candidate.id === victim?.id);
    expect(await cipher.decrypt(row!.full_name!)).toBe('Renamed Meanwhile');
  });

  it('holds local AES-256-GCM ciphertext, and moves it to a newly added local key', async () => {
    const firstKey = Buffer.alloc(32, 1).toString('base64');
    const { table, raw } = await tableWith(new LocalFieldCipher([firstKey]));
    const stored = await raw();
    expect(stored.filter((row) => row.full_name).every((row) => /^local:v1:/.test(row.full_name!))).toBe(
      true,
    );
    expect(stored.some((row) => row.full_name?.includes('Person'))).toBe(false);

    const rotated = new LocalFieldCipher([firstKey, Buffer.alloc(32, 2).toString('base64')]);
    const result = await rewrapColumn(db, {
      table,
      idColumn: 'id',
      column: 'full_name',
      cipher: rotated,
      batchSize: 7,
    });
    expect(result).toMatchObject({ scanned: 26, rewrapped: 25 });
    const after = await raw();
    expect(after.filter((row) => row.full_name).every((row) => row.full_name!.startsWith('local:v2:'))).toBe(
      true,
    );
    expect((await decryptAll(rotated, after)).sort()).toEqual(names);
  });

  it('refuses table or column names that are not plain identifiers', async () => {
    const cipher = new LocalFieldCipher([Buffer.alloc(32, 1).toString('base64')]);
    await expect(
      rewrapColumn(db, {
        table: 'users; DROP TABLE x',
        idColumn: 'id',
        column: 'full_name',
        cipher,
        batchSize: 1,
      }),
    ).rejects.toThrow(/not a plain lower-case SQL identifier/);
  });
});
