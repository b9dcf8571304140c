import type { SynthesizedEnvironment } from '@platform/charts';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { assertSettingsAgree } from './platform-settings.js';

export interface ServiceAppArgs {
  /** The service's objects for this stage and image, grouped in apply order by charts/. */
  manifests: SynthesizedEnvironment;
  /** Service settings as the platform components report them; the chart's ConfigMap must carry the same. */
  settings: Record<string, pulumi.Input<string>>;
  /** Postgres, the Pooler, Redis, the collector, the mesh: all ready before the first migration. */
  dependsOn: pulumi.Resource[];
}

/**
 * Deploys the service's synthesized chart group by group, each after the previous one is ready: foundation
 * (identity, config, policies), the migration Job (awaited to completion), then the workload. A failed
 * migration stops the rollout before any new pod serves.
 */
export class ServiceApp extends pulumi.ComponentResource {
  readonly groups: k8s.yaml.v2.ConfigGroup[] = [];

  constructor(name: string, args: ServiceAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:app:ServiceApp', name, {}, opts);

    const verified = pulumi.output(args.settings).apply((settings) => {
      assertSettingsAgree(args.manifests.objects, settings);
      return args.manifests;
    });

    let previous = args.dependsOn;
    for (const group of args.manifests.groups) {
      const objs = verified.apply((m) => [...(m.groups.find((g) => g.name === group.name)?.objects ?? [])]);
      const applied = new k8s.yaml.v2.ConfigGroup(
        `${name}-${group.name}`,
        { objs },
        { parent: this, dependsOn: previous },
      );
      this.groups.push(applied);
      previous = [applied];
    }
    this.registerOutputs({});
  }
}
