import { type Stage, stages } from '@platform/charts/contract';
import { z } from 'zod';
import { withBackupBase } from './backup-base.js';

/**
 * The typed shape of one stack's configuration (Pulumi.<stage>.yaml). Stages differ only by these values;
 * components receive their slice and never branch on the stage name.
 */
const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|k|M|G|Ki|Mi|Gi|Ti)?$/, 'expected a Kubernetes quantity such as 500m or 1Gi');
const count = z.number().int().min(1);

const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity, memory: quantity }),
  limits: z.strictObject({ cpu: quantity.optional(), memory: quantity }),
});

const mesh = z.strictObject({
  /** Mesh-wide PeerAuthentication mode. */
  mtls: z.enum(['PERMISSIVE', 'STRICT']),
  ingress: z.strictObject({
    hosts: z.array(z.string().min(1)).min(1),
    /** Kubernetes TLS secret in the ingress namespace; absent means plain HTTP (local only). */
    tlsCredentialName: z.string().min(1).optional(),
    replicas: count,
    /**
     * Type of the ingress gateway's Service. LoadBalancer where the cluster provisions load balancers; on kind
     * (no load-balancer controller) ClusterIP, reached by `kubectl port-forward`: a LoadBalancer there never
     * gets an address and the gateway release waits on it until it times out.
     */
    serviceType: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']),
  }),
  tracingSamplingPercent: z.number().min(0).max(100),
});

/** Barman Cloud destination, e.g. s3://bucket/path (the bucket terraform/ creates for the stage). */
const destinationPath = z.string().regex(/^(s3|gs|https):\/\/.+/, 'expected an s3://, gs:// or https:// URL');
/** A folder name in the bucket; the plugin passes it to barman-cloud as the server name. */
const serverName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a lowercase DNS label');

const backup = z.preprocess(
  withBackupBase,
  z.strictObject({
    destinationPath,
    endpointURL: z.url().optional(),
    /** Six-field cron (seconds first), as CloudNativePG's ScheduledBackup expects. */
    schedule: z.string().regex(/^(\S+\s+){5}\S+$/, 'expected a six-field cron expression (seconds first)'),
    /** The ObjectStore's own pattern (plugin-barman-cloud v0.13.0 ObjectStore CRD, spec.retentionPolicy). */
    retentionPolicy: z.string().regex(/^[1-9][0-9]*[dwm]$/, 'expected a retention such as 30d, 4w or 3m'),
    /** Vault KV path (under the KV mount) holding ACCESS_KEY_ID and ACCESS_SECRET_KEY for the bucket. */
    credentialsVaultPath: z.string().min(1),
    serverName,
  }),
);

/**
 * Bootstraps the Cluster from a backup instead of an empty initdb (CloudNativePG `bootstrap.recovery`). Read
 * only when the Cluster is created: set it, then replace the Cluster (docs/runbooks/restore-from-backup.md).
 */
const recovery = z.strictObject({
  /** The folder the lost cluster archived into (its backup.serverName). */
  serverName,
  /** The object store holding it; absent: the stage's own backup destination. Read with the same credentials. */
  destinationPath: destinationPath.optional(),
  /** Stop replaying WAL at this instant (RFC 3339 with an offset); absent: replay the whole archive. */
  targetTime: z.iso.datetime({ offset: true }).optional(),
});

const postgres = z
  .strictObject({
    instances: count,
    storage: z.strictObject({ size: quantity, storageClass: z.string().min(1).optional() }),
    resources,
    parameters: z.record(z.string(), z.string()),
    podAntiAffinity: z.enum(['none', 'preferred', 'required']),
    /** Needs the Prometheus Operator CRDs in the cluster. */
    podMonitor: z.boolean(),
    /** Absent: no WAL archive and no scheduled backups. */
    backup: backup.optional(),
    recovery: recovery.optional(),
  })
  .superRefine((pg, ctx) => {
    const { backup: store, recovery: source } = pg;
    if (!source) return;
    if (!store) {
      ctx.addIssue({
        code: 'custom',
        path: ['recovery'],
        message: 'recovery reads the archive with the backup credentials: configure backup too',
      });
      return;
    }
    const sameStore = (source.destinationPath ?? store.destinationPath) === store.destinationPath;
    if (sameStore && source.serverName === store.serverName) {
      ctx.addIssue({
        code: 'custom',
        path: ['backup', 'serverName'],
        message: `the restored cluster would archive into "${store.serverName}", the folder it restores from; give backup.serverName a new name`,
      });
    }
  });

const pooler = z.strictObject({
  instances: count,
  /** PgBouncer parameters (strings, as PgBouncer's ini takes them). */
  parameters: z.record(z.string(), z.string()),
  resources,
});

const redis = z
  .strictObject({
    /** One Valkey node, or nodes each with a Sentinel and a proxy that follows the master (src/redis/). */
    topology: z.enum(['standalone', 'sentinel']),
    /** Nodes besides the master in standalone (0), or the number of nodes, each with a Sentinel. */
    replicas: z.number().int().min(0),
    persistence: z.strictObject({ enabled: z.boolean(), size: quantity }),
    resources,
  })
  // Judged only on a count that is itself valid, so a negative count is reported once.
  .refine((r) => r.replicas < 0 || (r.topology === 'standalone' ? r.replicas === 0 : r.replicas >= 3), {
    path: ['replicas'],
    message: 'standalone has 0 replicas; sentinel needs at least 3 nodes for a majority to fail over',
  });

const telemetry = z.strictObject({
  replicas: count,
  exporter: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('debug') }),
    z.strictObject({ kind: z.literal('otlp'), endpoint: z.string().min(1), insecure: z.boolean() }),
  ]),
  resources,
});

const vaultAuth = {
  /** Kubernetes auth role and policy the service logs in with (created by terraform/). */
  role: z.string().min(1),
  policy: z.string().min(1),
  authMount: z.string().min(1),
  kvMount: z.string().min(1),
  /** Kubernetes auth role the Vault Secrets Operator uses to copy platform secrets (created by terraform/). */
  syncRole: z.string().min(1),
};

const vault = z.discriminatedUnion('mode', [
  /** A dev-mode Vault inside the cluster, for a self-contained local stage. */
  z.strictObject({ mode: z.literal('dev'), ...vaultAuth }),
  z.strictObject({ mode: z.literal('external'), address: z.url(), ...vaultAuth }),
]);

const digest = z.string().regex(/^sha256:[a-f0-9]{64}$/, 'expected sha256:<64 hex digits>');

const stackShape = {
  'platform:mesh': mesh,
  'platform:postgres': postgres,
  'platform:pooler': pooler,
  'platform:redis': redis,
  'platform:telemetry': telemetry,
  'platform:vault': vault,
  'app:imageRepository': z.string().min(1),
  /**
   * Never committed: each deploy passes the digest it promotes (`pulumi up --config app:imageDigest=sha256:...`),
   * and the program exports it as the stack output `imageDigest`, where the next preview and a rollback read it.
   */
  'app:imageDigest': digest.optional(),
  /** Local only: the tag Skaffold builds. */
  'app:imageTag': z.string().min(1).optional(),
};
const known = new Set(Object.keys(stackShape));

/**
 * Raw stack configuration, keyed exactly as in Pulumi.<stage>.yaml. Other namespaces (kubernetes:, pulumi:)
 * pass through; an unknown platform: or app: key is a typo and fails.
 */
export const stackConfigSchema = z.looseObject(stackShape).superRefine((raw, ctx) => {
  for (const key of Object.keys(raw)) {
    if (/^(platform|app):/.test(key) && !known.has(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'unknown key' });
    }
  }
  const refs = [raw['app:imageDigest'], raw['app:imageTag']].filter((ref) => ref !== undefined);
  if (refs.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['app:imageDigest'],
      message: 'set exactly one of app:imageDigest or app:imageTag',
    });
  }
  if (refs.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['app:imageDigest'],
      message:
        'no image digest given: pass the one to deploy (pulumi up --config app:imageDigest=sha256:...); ' +
        'the one deployed last is `pulumi stack output imageDigest`',
    });
  }
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type MeshConfig = z.infer<typeof mesh>;
export type PostgresConfig = z.infer<typeof postgres>;
export type BackupConfig = z.infer<typeof backup>;
export type RecoveryConfig = z.infer<typeof recovery>;
export type PoolerConfig = z.infer<typeof pooler>;
export type RedisConfig = z.infer<typeof redis>;
export type TelemetryConfig = z.infer<typeof telemetry>;
export type VaultConfig = z.infer<typeof vault>;
export type Resources = z.infer<typeof resources>;

export interface StageConfig {
  stage: Stage;
  mesh: MeshConfig;
  postgres: PostgresConfig;
  pooler: PoolerConfig;
  redis: RedisConfig;
  telemetry: TelemetryConfig;
  vault: VaultConfig;
  /** The image reference the workload runs; `digest` where the stage deploys by digest (exported as a stack output). */
  app: { image: string; digest?: string };
}

export const stageSchema = z.enum(stages);
