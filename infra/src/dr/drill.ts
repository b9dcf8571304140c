import { postgres } from '@platform/charts/contract';
import pg from 'pg';
import { syncedSecrets } from '../cluster/platform-names.js';
import type { StageConfig } from '../config/index.js';
import { appMigrationNames } from './app-schema.js';
import { drillManifests, drillNames } from './drill-manifests.js';
import { freePort } from './free-port.js';
import type { Kubectl } from './kubectl.js';
import { type RecoveryObjectives, recoveryObjectives } from './recovery-objectives.js';
import { type VerificationReport, verifyRestoredDatabase } from './verify-restore.js';

export interface DrillOptions {
  config: StageConfig;
  kubectl: Kubectl;
  /** RFC 3339; absent: restore the whole archive and measure RPO against the drill's start. */
  targetTime?: string;
  /** Folder in the bucket to restore; absent: the stage's backup.serverName. */
  serverName?: string;
  namespace: string;
  readyTimeoutSeconds: number;
  /** Leave the scratch namespace for inspection (delete it by hand afterwards). */
  keep: boolean;
  log: (line: string) => void;
}

export interface DrillResult {
  namespace: string;
  verification: VerificationReport;
  objectives: RecoveryObjectives;
}

type SecretObject = { type?: string; data?: Record<string, string> };

const decoded = (secret: SecretObject, key: string) =>
  Buffer.from(secret.data?.[key] ?? '', 'base64').toString();

/**
 * One drill: scratch namespace, the bucket's credentials copied in, the recovery Cluster applied, timed until
 * CloudNativePG reports it Ready (RTO), verified over a port-forward, RPO measured, everything deleted, whatever
 * failed on the way.
 */
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const { config, kubectl, log, namespace } = options;
  const backup = config.postgres.backup;
  if (!backup) throw new Error(`stage ${config.stage} has no backups (platform:postgres.backup) to restore`);

  const startedAt = new Date();
  const targetTime = options.targetTime ? new Date(options.targetTime) : startedAt;
  const manifests = drillManifests({
    namespace,
    serverName: options.serverName ?? backup.serverName,
    targetTime: options.targetTime,
    backup,
    storage: config.postgres.storage,
  });

  try {
    const [ns, ...restore] = manifests;
    log(`creating ${namespace}`);
    await kubectl.apply([ns as object]);
    const credentials = await kubectl.getJson<SecretObject>([
      'secret',
      syncedSecrets.backup.name,
      '-n',
      postgres.namespace,
    ]);
    await kubectl.apply([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: syncedSecrets.backup.name, namespace, labels: drillNames.label },
        type: credentials.type ?? 'Opaque',
        data: credentials.data ?? {},
      },
    ]);
    log(
      `restoring ${options.serverName ?? backup.serverName} to ${options.targetTime ?? 'the end of the archive'}`,
    );
    await kubectl.apply(restore);
    await kubectl.run([
      ...['wait', '-n', namespace, `cluster/${drillNames.cluster}`],
      ...['--for=condition=Ready', `--timeout=${options.readyTimeoutSeconds}s`],
    ]);
    const readyAt = new Date();
    log(`ready after ${(readyAt.getTime() - startedAt.getTime()) / 1000}s; verifying`);

    const verification = await verifyOverPortForward(kubectl, namespace, options.targetTime);
    const objectives = recoveryObjectives({
      targetTime,
      // The instance restarts after CloudNativePG's recovery job, so the replay timestamp is gone by now: the
      // newest row the service wrote stands in (an idle service makes the RPO look larger than it is).
      lastRestoredCommit: verification.lastReplayedCommit ?? verification.newestWrite,
      startedAt,
      readyAt,
    });
    return { namespace, verification, objectives };
  } finally {
    if (options.keep) log(`kept ${namespace}: kubectl delete namespace ${namespace} when done`);
    else {
      log(`deleting ${namespace}`);
      await kubectl
        .run(['delete', 'namespace', namespace, '--wait=true', '--timeout=10m'])
        .catch((error) =>
          log(`could not delete ${namespace}: ${error instanceof Error ? error.message : error}`),
        );
    }
  }
}

async function verifyOverPortForward(kubectl: Kubectl, namespace: string, targetTime?: string) {
  // CloudNativePG's superuser Secret (`<cluster>-superuser`, basic-auth), created because the drill asks for it.
  const superuser = await kubectl.getJson<SecretObject>([
    'secret',
    `${drillNames.cluster}-superuser`,
    '-n',
    namespace,
  ]);
  const port = await freePort();
  const forward = kubectl.portForward(namespace, `svc/${drillNames.cluster}-rw`, port, postgres.port);
  try {
    await forward.ready;
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      database: postgres.database,
      user: decoded(superuser, 'username'),
      password: decoded(superuser, 'password'),
    });
    await client.connect();
    try {
      return await verifyRestoredDatabase(client, {
        knownMigrations: appMigrationNames(),
        ...(targetTime ? { notAfter: new Date(targetTime) } : {}),
      });
    } finally {
      await client.end();
    }
  } finally {
    forward.stop();
  }
}
