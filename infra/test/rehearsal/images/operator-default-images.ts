import type { RegisteredResource } from '../../../src/testing/index.js';
import { valueAt } from '../helm/helm-values.js';

/**
 * Images an operator runs for a custom resource that names none. CloudNativePG's defaults are compiled into the
 * operator: cloudnative-pg/cloudnative-pg@v1.30.0 pkg/versions/versions.go (`DefaultImageName`,
 * `DefaultPgbouncerImage`), the operator version chart cloudnative-pg 0.29.0 installs (its appVersion).
 */
interface OperatorDefault {
  /** Where the resource would name its own image; absent there, the operator's default runs. */
  override: (inputs: Record<string, unknown>) => unknown;
  path: string;
  image: string;
}

export const operatorDefaultImages: Record<string, OperatorDefault> = {
  'kubernetes:postgresql.cnpg.io/v1:Cluster': {
    override: (inputs) => valueAt(inputs, 'spec.imageName') ?? valueAt(inputs, 'spec.imageCatalogRef'),
    path: 'spec.imageName (operator default)',
    image: 'ghcr.io/cloudnative-pg/postgresql:18.4-system-trixie',
  },
  'kubernetes:postgresql.cnpg.io/v1:Pooler': {
    override: (inputs) => {
      const containers = valueAt(inputs, 'spec.template.spec.containers');
      return Array.isArray(containers)
        ? containers.find(
            (c) => (c as { name?: string }).name === 'pgbouncer' && (c as { image?: string }).image,
          )
        : undefined;
    },
    path: 'spec.template (pgbouncer, operator default)',
    image: 'ghcr.io/cloudnative-pg/pgbouncer:1.25.1',
  },
};

export function operatorDefaultImage(resource: RegisteredResource) {
  const known = operatorDefaultImages[resource.type];
  if (!known || known.override(resource.inputs) !== undefined) return [];
  return [{ path: known.path, image: known.image }];
}
