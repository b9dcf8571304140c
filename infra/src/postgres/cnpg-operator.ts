import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { chartPins, releaseChart } from '../cluster/chart-pins.js';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import { operatorNamespaces } from '../cluster/platform-names.js';

export interface CnpgOperatorArgs {
  /** Install the Barman Cloud plugin (needs cert-manager in the cluster) for WAL archiving and backups. */
  backups: boolean;
}

/** The CloudNativePG operator and, where backups are wanted, its Barman Cloud plugin. */
export class CnpgOperator extends pulumi.ComponentResource {
  /** Everything a Cluster, Pooler or backup resource needs installed first. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: CnpgOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:postgres:CnpgOperator', name, {}, opts);
    // The API server calls the operator's webhooks directly; a sidecar requiring mTLS would refuse it.
    const ns = meshNamespace(operatorNamespaces.cloudnativePg, 'disabled', { parent: this });

    const operator = new k8s.helm.v3.Release(
      'cnpg',
      {
        ...releaseChart(chartPins.cloudnativePg),
        name: 'cnpg',
        namespace: operatorNamespaces.cloudnativePg,
        values: { crds: { create: true } },
      },
      { parent: this, dependsOn: [ns] },
    );
    this.ready = [operator];

    if (args.backups) {
      const plugin = new k8s.helm.v3.Release(
        'barman-cloud',
        {
          ...releaseChart(chartPins.barmanCloudPlugin),
          name: 'barman-cloud',
          // The plugin must run in the operator's namespace.
          namespace: operatorNamespaces.cloudnativePg,
        },
        { parent: this, dependsOn: [operator] },
      );
      this.ready.push(plugin);
    }
    this.registerOutputs({});
  }
}
