import { App } from 'cdk8s';
import { AppChart, type ManifestGroup, manifestGroups } from '../app-chart.js';
import { environments } from '../config/environments.js';
import { parseImageReference } from '../config/image-reference.js';
import type { Stage } from '../contract.js';

/** A Kubernetes object as plain JSON, ready for YAML, kubectl, or Pulumi's `k8s.yaml.ConfigGroup({ objs })`. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export interface SynthesizedEnvironment {
  readonly env: Stage;
  readonly image: string;
  /** In apply order: foundation, then the migration Job, then the workload. */
  readonly groups: ReadonlyArray<{ readonly name: ManifestGroup; readonly objects: readonly KubeObject[] }>;
  readonly objects: readonly KubeObject[];
}

/**
 * Synthesizes the service's objects for one environment, in memory. The image must be pinned by digest
 * outside local (an InvalidImageReference error says so). No files are written; see `writeEnvironment`.
 */
export function synthEnvironment(env: Stage, options: { image: string }): SynthesizedEnvironment {
  const config = environments[env];
  const image = parseImageReference(options.image, { requireDigest: config.image.requireDigest });
  const app = new App();
  const chart = new AppChart(app, { env: config, image });
  const groups = manifestGroups.map((name) => ({
    name,
    objects: chart.charts[name].toJson() as KubeObject[],
  }));
  return { env, image: image.ref, groups, objects: groups.flatMap((g) => g.objects) };
}
