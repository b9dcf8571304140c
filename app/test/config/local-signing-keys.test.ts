import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localSigningKeys } from '../../src/modules/auth/dev-keys.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'jwt-keys-'));

describe('the local tier signing key (JWT_KEYS_FILE)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is generated once into a writable directory and read back on the next start', async () => {
    const file = join(scratch(), '.data', 'jwt-keys.json');
    const first = await localSigningKeys(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await localSigningKeys(file)).toEqual(first);
  });

  it('stays in memory with a warning where the file cannot be written (a read-only root filesystem)', async () => {
    // A regular file where the directory should be: mkdir fails (EEXIST) as it does (EROFS) on a read-only one.
    const blocked = join(scratch(), 'not-a-directory');
    writeFileSync(blocked, '');
    const file = join(blocked, 'jwt-keys.json');
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);

    const set = await localSigningKeys(file);

    expect(set.keys.map((key) => key.kid)).toEqual([set.activeKid]);
    expect(existsSync(file)).toBe(false);
    expect(String(warning.mock.calls[0]?.[0])).toMatch(/is not writable \(EEXIST\)/);
  });
});
