import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { service as appService } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartPins } from '../../src/cluster/chart-pins.js';
import { redisImages } from '../../src/redis/redis-images.js';
import { operatorDefaultImages } from '../rehearsal/images/operator-default-images.js';
import { seededSecrets, startProblems } from './app-start.js';
import { collectorProblems } from './collector-config.js';
import { bindMountsOf, copyOf, environmentOf, loadCompose, readRepoFile, repoRoot } from './compose-file.js';
import { dependencyProblems, imageProblems, mountProblems, portProblems } from './compose-rules.js';
import { schemaProblems } from './compose-schema.js';
import { agreementProblems, type SecretFiles } from './dev-secrets.js';

const compose = loadCompose();
const devSecrets = JSON.parse(readRepoFile('compose/vault/dev-secrets.json')) as Record<string, string>;
const secretFiles: SecretFiles = {
  devSecrets,
  initRolesSql: readRepoFile('compose/postgres/init-roles.sql'),
  pgbouncerUserlist: readRepoFile('compose/pgbouncer/userlist.txt'),
  seedScript: readRepoFile('compose/vault/seed-vault.sh'),
};
const collectorFile = bindMountsOf(compose.services['otel-collector']!)[0]!.source;
const appProcesses = ['api', 'worker', 'migrate'] as const;

describe('compose.yaml against the Compose Specification schema', () => {
  it('is valid', () => {
    expect(schemaProblems(compose)).toEqual([]);
  });

  it('fails on a misspelled field and on an unknown depends_on condition', () => {
    const misspelled = copyOf(compose) as unknown as Record<string, Record<string, Record<string, unknown>>>;
    misspelled.services!.redis!.healtcheck = misspelled.services!.redis!.healthcheck;
    expect(schemaProblems(misspelled).join('\n')).toContain('must NOT have additional properties');

    const condition = copyOf(compose);
    condition.services.api!.depends_on = { redis: { condition: 'service_ready' } };
    expect(schemaProblems(condition)).not.toEqual([]);
  });
});

describe('compose.yaml, the rules compose applies beyond the schema', () => {
  it('depends only on services that exist, waits for health only where there is a healthcheck, no cycle', () => {
    expect(dependencyProblems(compose)).toEqual([]);
  });

  it('fails on a missing dependency, a healthy wait without a healthcheck, and a cycle', () => {
    const missing = copyOf(compose);
    missing.services.api!.depends_on = { postgress: { condition: 'service_healthy' } };
    expect(dependencyProblems(missing)).toEqual(['api: depends on "postgress", which is not a service']);

    const unchecked = copyOf(compose);
    delete unchecked.services.redis!.healthcheck;
    expect(dependencyProblems(unchecked)).toEqual([
      'api: waits for "redis" to be healthy, but redis has no healthcheck',
      'worker: waits for "redis" to be healthy, but redis has no healthcheck',
    ]);

    const cycle = copyOf(compose);
    cycle.services.postgres!.depends_on = { api: { condition: 'service_started' } };
    expect(dependencyProblems(cycle)).toEqual([
      'dependency cycle: postgres -> api -> migrate -> postgres',
      'dependency cycle: postgres -> api -> pgbouncer -> postgres',
    ]);
  });

  it('publishes no host port twice', () => {
    expect(portProblems(compose)).toEqual([]);
    const clash = copyOf(compose);
    clash.services.worker!.ports = ['3000:3001'];
    expect(portProblems(clash)).toEqual(['api and worker both publish host port 3000/tcp']);
  });

  it('pulls only pinned images (a version tag or a digest); the app image is built here', () => {
    expect(imageProblems(compose)).toEqual([]);
    const latest = copyOf(compose);
    latest.services.postgres!.image = 'docker.io/library/postgres:latest';
    latest.services.vault!.image = 'hashicorp/vault';
    expect(imageProblems(latest)).toEqual([
      'postgres: image docker.io/library/postgres:latest is not pinned (a version tag or a digest)',
      'vault: image hashicorp/vault is not pinned (a version tag or a digest)',
    ]);
  });

  it('mounts files that exist in the repository', () => {
    expect(mountProblems(compose)).toEqual([]);
    const moved = copyOf(compose);
    moved.services.pgbouncer!.volumes = [
      './compose/pgbouncer/pgbouncer.conf:/etc/pgbouncer/pgbouncer.ini:ro',
    ];
    expect(mountProblems(moved)).toEqual([
      'pgbouncer: mounts ./compose/pgbouncer/pgbouncer.conf, which does not exist',
    ]);
  });
});

describe('compose.yaml runs what the platform runs', () => {
  it('runs the images and versions the platform pins', () => {
    const images = Object.fromEntries(Object.entries(compose.services).map(([name, s]) => [name, s.image]));
    expect(images.redis).toBe(redisImages.valkey);
    expect(images.pgbouncer).toBe(operatorDefaultImages['kubernetes:postgresql.cnpg.io/v1:Pooler']!.image);
    const clusterPostgres = operatorDefaultImages['kubernetes:postgresql.cnpg.io/v1:Cluster']!.image;
    const version = /:(\d+\.\d+)-/.exec(clusterPostgres)![1];
    expect(images.postgres).toBe(`docker.io/library/postgres:${version}-trixie`);

    const upstream = 'infra/test/rehearsal/upstream';
    const vaultValues = parse(readRepoFile(`${upstream}/vault@${chartPins.vault.version}/values.yaml`));
    expect(images.vault).toBe(`docker.io/hashicorp/vault:${vaultValues.server.image.tag}`);
    expect(images['vault-seed']).toBe(images.vault);
    const collectorChart = parse(
      readRepoFile(`${upstream}/opentelemetry-collector@${chartPins.otelCollector.version}/Chart.yaml`),
    );
    expect(images['otel-collector']).toBe(
      `docker.io/otel/opentelemetry-collector-k8s:${collectorChart.appVersion}`,
    );
  });

  it('runs the image app/Dockerfile builds, with the commands the chart runs it with', () => {
    for (const name of [...appProcesses, 'keys']) {
      expect(compose.services[name]!.build, name).toEqual({
        context: '.',
        dockerfile: 'app/Dockerfile',
        target: 'runtime',
      });
    }
    expect(compose.services.api!.command).toEqual(appService.commands.serve);
    expect(compose.services.worker!.command).toEqual(appService.commands.worker);
    expect(compose.services.migrate!.command).toEqual(appService.commands.migrate);
    expect(environmentOf(compose.services.worker!).OTEL_SERVICE_NAME).toBe(appService.worker.name);
  });

  it('migrates once, before the API and the worker start', () => {
    for (const name of ['api', 'worker']) {
      expect(compose.services[name]!.depends_on, name).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });
});

describe('compose.yaml, the service would start', () => {
  it.each(appProcesses)(
    '%s: its environment and the seeded Vault pass the app schema and guardrails',
    async (name) => {
      expect(environmentOf(compose.services[name]!).APP_ENV).toBe('integration');
      expect(await startProblems(compose, name, await seededSecrets(devSecrets))).toEqual([]);
    },
  );

  it('fails without the Vault token, with a malformed variable, and with a secret Vault lacks', async () => {
    const secrets = await seededSecrets(devSecrets);
    const noToken = copyOf(compose);
    delete (noToken.services.api!.environment as Record<string, string>).VAULT_TOKEN;
    expect(await startProblems(noToken, 'api', secrets)).toEqual([
      'api: VAULT_TOKEN: required when VAULT_AUTH_METHOD is token',
    ]);

    const malformed = copyOf(compose);
    (malformed.services.worker!.environment as Record<string, string>).WORKER_PORT = 'three thousand';
    expect((await startProblems(malformed, 'worker', secrets)).join('\n')).toContain('worker: WORKER_PORT');

    const { JWT_SIGNING_KEYS: _keys, ...withoutKeys } = secrets;
    expect(await startProblems(compose, 'api', withoutKeys)).toEqual([
      'api: vault: secret/platform-api/dev has no JWT_SIGNING_KEYS (required in this tier, and not set otherwise)',
    ]);
  });
});

describe('compose/: the files the containers mount', () => {
  it('agree on every password, address and Vault path', () => {
    expect(agreementProblems(compose, secretFiles)).toEqual([]);
  });

  it('fail to agree on a planted mismatch', () => {
    const sql = secretFiles.initRolesSql.replace("PASSWORD 'dev-runtime-not-a-secret'", "PASSWORD 'other'");
    const seed = `${secretFiles.seedScript}\necho "$KV_VERSION"\n`;
    const wrongHost = { ...devSecrets, REDIS_URL: 'redis://valkey:6379' };
    expect(
      agreementProblems(compose, {
        ...secretFiles,
        initRolesSql: sql,
        seedScript: seed,
        devSecrets: wrongHost,
      }),
    ).toEqual([
      'dev-secrets.json: REDIS_URL points at "valkey", not a service',
      'init-roles.sql runtime role password: other, expected dev-runtime-not-a-secret',
      'seed-vault.sh reads $KV_VERSION, which vault-seed does not set',
    ]);
  });

  it('replace every value of the generated seed that names a cluster address or password', async () => {
    const generated = Object.keys(await seededSecrets({}));
    expect(generated.filter((key) => !(key in devSecrets)).sort()).toEqual([
      'JWT_ACTIVE_KID',
      'JWT_SIGNING_KEYS',
    ]);
  });

  it('seed-vault.sh is valid sh', () => {
    expect(() => execFileSync('sh', ['-n', join(repoRoot, 'compose/vault/seed-vault.sh')])).not.toThrow();
    expect(() => execFileSync('sh', ['-n'], { input: 'if then fi\n', stdio: 'pipe' })).toThrow();
  });

  it('the collector config parses and its pipelines name defined components only', () => {
    expect(collectorProblems(readRepoFile(collectorFile))).toEqual([]);
    const undefinedExporter = readRepoFile(collectorFile).replace('exporters: [debug]', 'exporters: [otlp]');
    expect(collectorProblems(undefinedExporter)).toEqual([
      'pipeline traces: exporters "otlp" is not defined',
    ]);
    expect(collectorProblems('service: { pipelines: [')[0]).toMatch(/^does not parse/);
    expect(collectorProblems('receivers: {}\nservice: {}\n')).toEqual(['service.pipelines: no pipeline']);
  });

  it('the service exports to the collector on a port the collector receives on', () => {
    const endpoint = new URL(environmentOf(compose.services.api!).OTEL_EXPORTER_OTLP_ENDPOINT!);
    expect(compose.services[endpoint.hostname]).toBeDefined();
    const receivers = parse(readRepoFile(collectorFile)).receivers.otlp.protocols;
    expect(receivers.http.endpoint).toBe(`0.0.0.0:${endpoint.port}`);
    const vault = new URL(environmentOf(compose.services.api!).VAULT_ADDR!);
    expect(compose.services[vault.hostname]).toBeDefined();
  });
});
