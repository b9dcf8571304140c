import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import { sampleValue, scrape } from '../observability/scrape.js';
import { testServerUrl } from '../support/databases.js';
import { mmdbDatabase } from '../support/mmdb-database.js';
import { expectProblem } from '../support/problem.js';
import { startServiceProcess } from '../support/service-process.js';
import { startTestApp, type TestApp, testEnv } from '../support/test-app.js';

// Documentation ranges: 198.51.100.0/24 is "DE", 203.0.113.0/24 "FR", 2001:db8::/32 "JP"; 192.0.2.0/24 and
// the loopback peer are in no network of the database.
const scratch = mkdtempSync(join(tmpdir(), 'geoip-'));
const databasePath = join(scratch, 'countries.mmdb');
writeFileSync(
  databasePath,
  mmdbDatabase({
    '198.51.100.0/24': { country: { iso_code: 'DE' } },
    '203.0.113.0/24': { country: { iso_code: 'FR' } },
    '2001:db8::/32': { country: { iso_code: 'JP' }, registered_country: { iso_code: 'JP' } },
  }),
);

const geoipApp = (env: Record<string, string>) =>
  startTestApp({ TRUSTED_PROXIES: '127.0.0.1', GEOIP_DATABASE_PATH: databasePath, ...env });

const fromClient = (app: TestApp, address: string | undefined, path = '/api/v1/x') =>
  app.fetch(path, { headers: address ? { 'x-forwarded-for': address } : {} });

const decisions = async (app: TestApp) => {
  const metrics = await scrape(app.url);
  const count = (decision: string, country: string) =>
    sampleValue(metrics, 'http_geoip_decisions_total', { decision, country });
  return {
    allowedDE: count('allowed', 'DE'),
    allowedJP: count('allowed', 'JP'),
    allowedUnknown: count('allowed', 'unknown'),
    deniedFR: count('denied', 'FR'),
    deniedUnknown: count('denied', 'unknown'),
  };
};

describe('GeoIP deny list behind a trusted proxy', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await geoipApp({ GEOIP_DENY_COUNTRIES: 'fr' });
  });
  afterAll(() => app.close());

  it('serves a forwarded client from a country not on the list (the router answers: 404)', async () => {
    expect((await fromClient(app, '198.51.100.7')).status).toBe(404);
    expect((await fromClient(app, '2001:db8::7')).status).toBe(404);
  });

  it('refuses a forwarded client from a denied country with a 403 problem that names no country or database', async () => {
    const body = await expectProblem(await fromClient(app, '203.0.113.9'), 403, 'geo-blocked');
    const text = JSON.stringify(body);
    for (const leak of ['FR', 'France', 'Test-Country', 'MaxMind', 'mmdb', scratch, '203.0.113.9']) {
      expect(text).not.toContain(leak);
    }
  });

  it('serves an address the database does not know under GEOIP_UNKNOWN=allow (the default)', async () => {
    expect((await fromClient(app, '192.0.2.1')).status).toBe(404);
    expect((await fromClient(app, undefined)).status).toBe(404); // the proxy's own loopback address
  });

  it('keeps liveness reachable from a denied country (readiness is internal: never through a proxy)', async () => {
    expect((await fromClient(app, '203.0.113.9', '/api/v1/health/live')).status).toBe(200);
  });

  it('counts one decision per request by country, and none for probes or scrapes', async () => {
    const before = await decisions(app);
    await fromClient(app, '198.51.100.1');
    await fromClient(app, '198.51.100.2');
    await fromClient(app, '203.0.113.1');
    await fromClient(app, '192.0.2.1');
    await fromClient(app, '2001:db8::1');
    await fromClient(app, '203.0.113.1', '/api/v1/health/live');
    await scrape(app.url);
    const after = await decisions(app);
    expect({
      allowedDE: after.allowedDE - before.allowedDE,
      allowedJP: after.allowedJP - before.allowedJP,
      allowedUnknown: after.allowedUnknown - before.allowedUnknown,
      deniedFR: after.deniedFR - before.deniedFR,
      deniedUnknown: after.deniedUnknown - before.deniedUnknown,
    }).toEqual({ allowedDE: 2, allowedJP: 1, allowedUnknown: 1, deniedFR: 1, deniedUnknown: 0 });
  });
});

describe('GeoIP allow list with GEOIP_UNKNOWN=deny', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await geoipApp({ GEOIP_ALLOW_COUNTRIES: 'DE,JP', GEOIP_UNKNOWN: 'deny' });
  });
  afterAll(() => app.close());

  it('serves listed countries and refuses the others', async () => {
    expect((await fromClient(app, '198.51.100.7')).status).toBe(404);
    expect((await fromClient(app, '2001:db8::7')).status).toBe(404);
    await expectProblem(await fromClient(app, '203.0.113.9'), 403, 'geo-blocked');
  });

  it('refuses addresses the database does not know, public or private', async () => {
    await expectProblem(await fromClient(app, '192.0.2.1'), 403, 'geo-blocked');
    await expectProblem(await fromClient(app, '10.1.2.3'), 403, 'geo-blocked');
    await expectProblem(await fromClient(app, undefined), 403, 'geo-blocked');
  });

  it('still answers probes and scrapes that come from no country', async () => {
    expect((await fromClient(app, undefined, '/api/v1/health/live')).status).toBe(200);
    expect((await fromClient(app, undefined, '/api/v1/health/ready')).status).toBe(200);
    expect((await fromClient(app, undefined, '/metrics')).status).toBe(200);
  });

  it('counts the unknown refused as country "unknown"', async () => {
    const before = await decisions(app);
    await fromClient(app, '192.0.2.1');
    expect((await decisions(app)).deniedUnknown - before.deniedUnknown).toBe(1);
  });
});

/** A test app of its own for one test, closed whatever the test does. */
async function withApp(env: Record<string, string>, use: (app: TestApp) => Promise<void>) {
  const app = await geoipApp(env);
  try {
    await use(app);
  } finally {
    await app.close();
  }
}

describe('GeoIP with a peer that is not a trusted proxy', () => {
  const untrusted = { TRUSTED_PROXIES: '10.0.0.0/8' };

  it('decides on the peer, not on a forwarded address naming an allowed country', () =>
    withApp({ ...untrusted, GEOIP_ALLOW_COUNTRIES: 'DE', GEOIP_UNKNOWN: 'deny' }, async (app) => {
      await expectProblem(await fromClient(app, '198.51.100.7'), 403, 'geo-blocked');
      expect((await decisions(app)).allowedDE).toBe(0);
    }));

  it('decides on the peer, not on a forwarded address naming a denied country', () =>
    withApp({ ...untrusted, GEOIP_DENY_COUNTRIES: 'FR' }, async (app) => {
      expect((await fromClient(app, '203.0.113.9')).status).toBe(404);
      expect(await decisions(app)).toMatchObject({ allowedUnknown: 1, deniedFR: 0 });
    }));
});

describe('GeoIP switched off', () => {
  it('is left out by HTTP_LAYERS_DISABLED=geoip', () =>
    withApp({ GEOIP_DENY_COUNTRIES: 'FR', HTTP_LAYERS_DISABLED: 'geoip' }, async (app) => {
      expect((await fromClient(app, '203.0.113.9')).status).toBe(404);
      expect(await decisions(app)).toMatchObject({ deniedFR: 0, allowedUnknown: 0 });
    }));
});

describe('GeoIP database replaced while serving', () => {
  const path = join(scratch, 'replaced.mmdb');
  // As geoipupdate and volume updates do: the new file is written aside and renamed over the old one.
  const replace = (contents: Buffer | string) => {
    writeFileSync(`${path}.next`, contents);
    renameSync(`${path}.next`, path);
  };
  const logged = (app: TestApp, msg: string) => app.logs.lines.some((line) => line.msg === msg);

  it('takes over a replacement that opens whole, and keeps the loaded one over a file that does not', async () => {
    replace(mmdbDatabase({ '203.0.113.0/24': { country: { iso_code: 'FR' } } }));
    await withApp(
      { GEOIP_DATABASE_PATH: path, GEOIP_DENY_COUNTRIES: 'FR', GEOIP_RELOAD_CHECK_MS: '20' },
      async (app) => {
        const status = async () => (await fromClient(app, '203.0.113.9')).status;
        expect(await status()).toBe(403);
        replace(mmdbDatabase({ '203.0.113.0/24': { country: { iso_code: 'DE' } } }));
        await expect.poll(status, { timeout: 5000, interval: 20 }).toBe(404);
        expect(logged(app, 'geoip database reloaded')).toBe(true);
        replace('203.0.113.0/24,FR\n');
        await expect
          .poll(() => logged(app, 'geoip database not reloaded; keeping the one loaded'), { timeout: 5000 })
          .toBe(true);
        expect(await status()).toBe(404);
      },
    );
  });
});

describe('GeoIP database at start', () => {
  // The database is opened before anything connects, so no test database is needed for the refusal.
  const refusal = async (path: string) => {
    const started = await startTestApp({ DATABASE_URL: testServerUrl, GEOIP_DATABASE_PATH: path }).catch(
      (error: unknown) => error,
    );
    if (!(started instanceof ConfigError)) {
      if (started && 'close' in (started as object)) await (started as TestApp).close();
      throw new Error('the service started');
    }
    return started.problems;
  };

  it('refuses a path that does not exist', async () => {
    const missing = join(scratch, 'missing.mmdb');
    expect(await refusal(missing)).toEqual([
      expect.stringMatching(
        new RegExp(`^GEOIP_DATABASE_PATH: cannot open "${missing}" as a MaxMind database: .*ENOENT`),
      ),
    ]);
  });

  it('refuses a file that is not a MaxMind database', async () => {
    const text = join(scratch, 'countries.csv');
    writeFileSync(text, '198.51.100.0/24,DE\n203.0.113.0/24,FR\n');
    expect(await refusal(text)).toEqual([
      expect.stringMatching(/^GEOIP_DATABASE_PATH: cannot open ".*countries\.csv" as a MaxMind database: /),
    ]);
  });

  it('exits the service process with code 78 and the one line', async () => {
    const env = testEnv({ DATABASE_URL: testServerUrl, GEOIP_DATABASE_PATH: join(scratch, 'missing.mmdb') });
    await expect(startServiceProcess(env)).rejects.toThrow(
      /service exited with 78 before listening:\ninvalid configuration:\n {2}- GEOIP_DATABASE_PATH: cannot open/,
    );
  });
});
