import { createHash } from 'node:crypto';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import type { ImageReference } from '../config/image-reference.js';
import { postgres, service } from '../contract.js';
import { serviceHost } from '../runtime/cluster-dns.js';
import { objectLabels } from './labels.js';
import {
  containerSecurityContext,
  podSecurityContext,
  resourceRequirements,
  tmpMount,
  tmpVolume,
} from './security-context.js';

export interface MigrationJobProps {
  readonly env: Environment;
  readonly image: ImageReference;
  readonly configMapName: string;
}

/**
 * A Job's pod template is immutable, so each image gets its own Job: a release runs its migrations once, and
 * re-applying the same release is a no-op.
 */
export function migrationJobName(image: ImageReference): string {
  const suffix = createHash('sha256').update(image.ref).digest('hex').slice(0, 10);
  return `${service.name}-migrate-${suffix}`;
}

/**
 * Waits until the primary's `-rw` Service accepts TCP connections (CloudNativePG gives it an endpoint only once
 * the primary is ready), retrying every 2 s, and gives up after the bound given as its third argument. Run with
 * the image's own node, so the Job needs no second image. Arguments: host, port, seconds.
 */
const waitForDatabaseScript = [
  "const net = require('node:net');",
  'const [host, port, seconds] = process.argv.slice(1);',
  "const target = host + ':' + port;",
  'const deadline = Date.now() + Number(seconds) * 1000;',
  'const attempt = () => {',
  '  const socket = net.connect({ host, port: Number(port), timeout: 3000 });',
  "  socket.once('connect', () => {",
  "    console.log(target + ' accepts connections');",
  '    socket.destroy();',
  '    process.exit(0);',
  '  });',
  '  const retry = (why) => {',
  '    socket.destroy();',
  '    if (Date.now() > deadline) {',
  "      console.error('gave up waiting for ' + target + ' after ' + seconds + ' s: ' + why);",
  '      process.exit(1);',
  '    }',
  "    console.log('waiting for ' + target + ': ' + why);",
  '    setTimeout(attempt, 2000);',
  '  };',
  "  socket.once('timeout', () => retry('timeout'));",
  "  socket.once('error', (error) => retry(error.code ?? error.message));",
  '};',
  'attempt();',
].join('\n');

/**
 * How long the init container waits for the primary: half the Job's deadline, so the migration itself keeps
 * the other half (and a clear "gave up waiting" line replaces a deadline kill without a message).
 */
export function databaseWaitSeconds(env: Environment): number {
  return Math.floor(env.migration.activeDeadlineSeconds / 2);
}

/**
 * Applies the release's migrations with the direct (`-rw`) URL, once, before the new pods roll out.
 *
 * No mesh sidecar: a sidecar that outlives the migration keeps the Job from completing. Native sidecars
 * (Kubernetes 1.29+, on in istiod) would stop it, but the Job must not depend on a mesh setting, and it needs
 * nothing from the mesh: it talks to Postgres (outside the mesh) and Vault (TLS of its own).
 *
 * On a first install the platform awaits the CloudNativePG Cluster before this Job; the init container still
 * waits (bounded) for the primary, so a failover or a slow restart does not use up the Job's few retries.
 */
export class MigrationJob extends kplus.k8s.KubeJob {
  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    const { env, image } = props;
    super(scope, id, {
      metadata: { name: migrationJobName(image), labels: objectLabels('migration') },
      spec: {
        backoffLimit: env.migration.backoffLimit,
        activeDeadlineSeconds: env.migration.activeDeadlineSeconds,
        ttlSecondsAfterFinished: env.migration.ttlSecondsAfterFinished,
        template: {
          metadata: { labels: { ...objectLabels('migration'), 'sidecar.istio.io/inject': 'false' } },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: service.serviceAccount,
            // Vault's Kubernetes auth hands out the direct database URL in exchange for this token.
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            securityContext: podSecurityContext(),
            initContainers: [
              {
                name: 'wait-for-database',
                image: image.ref,
                imagePullPolicy: env.image.pullPolicy,
                command: [
                  'node',
                  '-e',
                  waitForDatabaseScript,
                  serviceHost(postgres.rwService, postgres.namespace),
                  String(postgres.port),
                  String(databaseWaitSeconds(env)),
                ],
                resources: resourceRequirements(env.resources),
                securityContext: containerSecurityContext(),
                volumeMounts: [tmpMount],
              },
            ],
            containers: [
              {
                name: 'migrate',
                image: image.ref,
                imagePullPolicy: env.image.pullPolicy,
                command: [...service.commands.migrate],
                envFrom: [{ configMapRef: { name: props.configMapName } }],
                resources: resourceRequirements(env.resources),
                securityContext: containerSecurityContext(),
                volumeMounts: [tmpMount],
              },
            ],
            volumes: [tmpVolume],
          },
        },
      },
    });
  }
}
