import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startServiceProcess } from '../support/service-process.js';
import { startTestApp } from '../support/test-app.js';
import { startVaultFake, type VaultFake } from '../support/vault-fake.js';
import { kubernetesLogin, putServiceSecrets, signingKeys, transitKey, vaultEnv } from './vault-env.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the service until it exits on its own; resolves with its exit code and everything it printed. */
function runUntilExit(env: Record<string, string>, timeoutMs = 20_000) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const started = performance.now();
  return new Promise<{ code: number | null; output: string; ms: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: performance.now() - started });
    });
  });
}

const prodEnv = {
  APP_ENV: 'prod',
  LOG_FORMAT: 'json',
  CORS_ORIGINS: 'https://app.example.com',
  VAULT_KV_PATH: 'platform-api/prod',
  VAULT_TRANSIT_KEY: 'platform-api',
};

describe('the service with Vault', () => {
  let fake: VaultFake;
  let database: TestDatabase;
  beforeAll(async () => {
    fake = await startVaultFake();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await fake.stop();
    await database.drop();
  });

  it('starts with its secrets from Vault KV after a Kubernetes login, and reports Vault in readiness', async () => {
    const login = kubernetesLogin(fake, { ttl: 60 });
    const { keys, databasePassword } = putServiceSecrets(fake, database.url); // the logs must not show it
    const service = await startServiceProcess({
      ...vaultEnv(fake, login.env),
      LOG_LEVEL: 'trace',
      LOG_FORMAT: 'json',
      REDIS_KEY_PREFIX: `test:${crypto.randomUUID()}`,
    });
    try {
      const response = await fetch(`${service.url}/api/v1/health/ready`);
      const body = (await response.json()) as { checks: { name: string; status: string }[] };
      expect(response.status).toBe(200);
      expect(body.checks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'database', status: 'up' }),
          expect.objectContaining({ name: 'vault', status: 'up' }),
        ]),
      );
      expect(fake.count('auth/kubernetes/login')).toBeGreaterThanOrEqual(1);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited();
    }
    const secrets = [databasePassword, keys.privateD, login.jwt, ...fake.tokens];
    for (const secret of secrets) expect(service.output()).not.toContain(secret);
  });

  it('in prod, exits at once with one line when Vault does not answer', async () => {
    const login = kubernetesLogin(fake, { ttl: 60 });
    const dead = await startVaultFake();
    await dead.stop();
    const { code, output, ms } = await runUntilExit({ ...prodEnv, ...login.env, VAULT_ADDR: dead.url });
    expect(code).toBe(69);
    expect(output.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^vault: cannot read secrets from secret\/data\/platform-api\/prod \(1 attempt\): vault kubernetes login: .*ECONNREFUSED/,
      ),
    ]);
    expect(ms).toBeLessThan(10_000);
  });

  it('in prod, exits with one line naming a required secret that Vault lacks', async () => {
    const login = kubernetesLogin(fake, { ttl: 60 });
    fake.putSecret('secret', 'platform-api/prod', { DATABASE_URL: 'postgresql://app:pw-from-vault@db/app' });
    const { code, output } = await runUntilExit({ ...prodEnv, ...login.env, VAULT_ADDR: fake.url });
    expect(code).toBe(78);
    expect(output.trim()).toBe(
      'vault: secret/data/platform-api/prod has no JWT_SIGNING_KEYS (required in this tier, and not set otherwise)',
    );
  });

  it('readiness names Vault while it is sealed, and recovers when it is unsealed', async () => {
    const keys = signingKeys();
    const app = await startTestApp({
      ...vaultEnv(fake, {
        VAULT_TOKEN: fake.issueToken({ ttl: 3600 }),
        VAULT_BREAKER_HALF_OPEN_MS: '100',
        // A sealed Vault answers 503 at once: this test needs no short timeout, and the 300 ms default of these
        // tests is missed at start on a loaded machine.
        VAULT_REQUEST_TIMEOUT_MS: '3000',
      }),
      JWT_SIGNING_KEYS: keys.JWT_SIGNING_KEYS,
      JWT_ACTIVE_KID: keys.JWT_ACTIVE_KID,
      READINESS_TIMEOUT_MS: '500',
      READINESS_CACHE_MS: '0', // each probe sees Vault as it is now
    });
    try {
      expect((await app.fetch('/api/v1/health/ready')).status).toBe(200);
      fake.seal();
      const sealed = await app.fetch('/api/v1/health/ready');
      expect(sealed.status).toBe(503);
      expect(((await sealed.json()) as { detail: string }).detail).toBe('Not ready: vault unavailable.');
      fake.unseal();
      await expect
        .poll(async () => (await app.fetch('/api/v1/health/ready')).status, { timeout: 5000, interval: 150 })
        .toBe(200);
    } finally {
      fake.unseal();
      await app.close();
    }
  });

  it('encrypts fields with Vault transit when Vault has a transit key', async () => {
    const keys = signingKeys();
    const app = await startTestApp({
      ...vaultEnv(fake, { VAULT_TOKEN: fake.issueToken({ ttl: 3600 }) }),
      JWT_SIGNING_KEYS: keys.JWT_SIGNING_KEYS,
      JWT_ACTIVE_KID: keys.JWT_ACTIVE_KID,
    });
    try {
      const ciphertext = await app.deps.cipher.encrypt('Hedy Lamarr');
      expect(ciphertext).toMatch(/^vault:v\d+:/);
      expect(fake.count(`transit/encrypt/${transitKey}`)).toBeGreaterThanOrEqual(1);
      expect(await app.deps.cipher.decrypt(ciphertext)).toBe('Hedy Lamarr');
    } finally {
      await app.close();
    }
  });
});
