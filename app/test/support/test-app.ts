import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { type AppDeps, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type Dependencies, openDependencies } from '../../src/dependencies.js';
import { localUserFor } from '../../src/lifecycle/local-user.js';
import { generateSigningKeySet } from '../../src/modules/auth/dev-keys.js';
import { createLogger } from '../../src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { captureLogs } from './log-capture.js';

export const sharedRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One signing key set per test process: cluster tiers require keys from configuration. */
export const testSigningKeys = await generateSigningKeySet('test-key-1');

/** The env every test app starts from: a cluster tier on the real Postgres and Redis, JSON logs captured. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    APP_ENV: 'dev',
    REDIS_URL: sharedRedisUrl,
    JWT_SIGNING_KEYS: JSON.stringify(testSigningKeys.keys),
    JWT_ACTIVE_KID: testSigningKeys.activeKid,
    LOG_LEVEL: 'info',
    ALLOWED_HOSTS: '127.0.0.1,localhost',
    // Tests log in far more often than people do; the auth limit has its own test.
    RATE_LIMIT_AUTH_MAX: '100000',
    REGISTRATION_MAX_PER_CLIENT: '100000',
    CORS_ORIGINS: 'https://app.example.com',
    // Each app counts requests under its own key, so tests sharing one Redis never share a limit.
    REDIS_KEY_PREFIX: `test:${crypto.randomUUID()}`,
    ...overrides,
  };
}

export interface TestApp {
  readonly url: string;
  readonly cfg: Config;
  readonly deps: Dependencies;
  readonly logs: ReturnType<typeof captureLogs>;
  readonly database: TestDatabase | undefined;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stopAcceptingTraffic(): void;
  close(): Promise<void>;
}

/**
 * The real service (real pipeline, real Postgres database of its own, real Redis) listening on a free port.
 * Pass `build` to mount the pipeline around other routes (for errors no production route produces).
 */
export async function startTestApp(
  overrides: Record<string, string> = {},
  build: (cfg: Config, deps: AppDeps) => Koa = createApp,
): Promise<TestApp> {
  const database = overrides.DATABASE_URL ? undefined : await createTestDatabase();
  const cfg = loadConfig(testEnv({ DATABASE_URL: database?.url ?? '', ...overrides }));
  const logs = captureLogs();
  const deps = await openDependencies(cfg, createLogger(cfg, logs.stream));
  let accepting = true;
  // As main does: with AUTH_ENABLED=false (local tier) the user requests without a token act as.
  const localUser = await localUserFor(cfg, deps.uow, deps.log);
  const app = build(cfg, { ...deps, isAcceptingTraffic: () => accepting, localUser });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    cfg,
    deps,
    logs,
    database,
    fetch: (path, init) => fetch(`${url}${path}`, init),
    stopAcceptingTraffic: () => {
      accepting = false;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await deps.close();
      await database?.drop();
    },
  };
}
