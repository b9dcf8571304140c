import { createHash } from 'node:crypto';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import type { ImageReference } from '../config/image-reference.js';
import { service } from '../contract.js';
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
 * Applies the release's migrations with the direct (`-rw`) URL, once, before the new pods roll out.
 *
 * No mesh sidecar: a sidecar that outlives the migration keeps the Job from completing. Native sidecars
 * (Kubernetes 1.29+, on in istiod) would stop it, but the Job must not depend on a mesh setting, and it needs
 * nothing from the mesh: it talks to Postgres (outside the mesh) and Vault (TLS of its own).
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
