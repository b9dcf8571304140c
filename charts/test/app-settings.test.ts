import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../app/src/config/schema.js';
import { tierDefaults } from '../../app/src/config/tiers.js';
import { environments } from '../src/config/environments.js';
import { configMapName } from '../src/constructs/app-config-map.js';
import { service } from '../src/contract.js';
import { only, synthesized } from './support/fixtures.js';

describe.each(synthesized.map((r) => [r.env, r] as const))('%s settings', (env, result) => {
  const data = (only(result, 'ConfigMap', configMapName) as unknown as IConfigMap).data!;

  it("parse with the service's own configuration schema, over its tier defaults", () => {
    const parsed = envSchema.safeParse({ ...tierDefaults[env], ...data });
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.APP_ENV).toBe(env);
    expect(parsed.data?.PORT).toBe(service.port);
  });

  it('use Postgres and Redis, never the embedded database or in-memory limits', () => {
    expect(data.DATABASE_KIND).toBe('postgres');
    expect(data.RATE_LIMIT_STORE).toBe('redis');
  });

  it('accept the Host headers the gateway forwards', () => {
    const allowed = data.ALLOWED_HOSTS!.split(',');
    expect(allowed).toEqual(expect.arrayContaining(environments[env].mesh.hosts));
  });

  it('carry no secret values', () => {
    for (const [key, value] of Object.entries(data)) {
      expect(key, key).not.toMatch(/PASSWORD|SECRET|TOKEN|PRIVATE/);
      expect(value, key).not.toMatch(/:\/\/[^/\s:]+:[^@\s]+@/);
    }
  });
});

describe('health probes', () => {
  it("point at the routes the service's router serves", async () => {
    const { healthPaths } = await import('../../app/src/http/routes/paths.js');
    expect(service.paths.live).toBe(healthPaths.live);
    expect(service.paths.ready).toBe(healthPaths.ready);
  });
});
