import { vault } from '@platform/charts/contract';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { chartPins, releaseChart } from '../cluster/chart-pins.js';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import { operatorNamespaces } from '../cluster/platform-names.js';
import type { VaultConfig } from '../config/index.js';

/** In-cluster address of the dev-mode Vault (the chart names its Service after the release). */
const inClusterAddress = `http://vault.${vault.namespace}.svc.cluster.local:${vault.port}`;

/**
 * Vault wiring: where Vault is (a dev-mode server in this cluster, or an external address), and the Vault
 * Secrets Operator that copies platform secrets (Redis password, backup credentials) into Kubernetes Secrets.
 * Mounts, auth roles and policies are configured by terraform/, not here.
 */
export class Vault extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  /** Ready when secret sync custom resources can be created. */
  readonly secretsOperator: k8s.helm.v3.Release;

  constructor(name: string, args: { config: VaultConfig }, opts?: pulumi.ComponentResourceOptions) {
    super('platform:vault:Vault', name, {}, opts);
    const { config } = args;

    const server = config.mode === 'dev' ? this.devServer() : undefined;
    const address = config.mode === 'dev' ? inClusterAddress : config.address;

    const operatorNs = meshNamespace(operatorNamespaces.vaultSecretsOperator, 'disabled', { parent: this });
    this.secretsOperator = new k8s.helm.v3.Release(
      'vault-secrets-operator',
      {
        ...releaseChart(chartPins.vaultSecretsOperator),
        name: 'vault-secrets-operator',
        namespace: operatorNamespaces.vaultSecretsOperator,
        values: { defaultVaultConnection: { enabled: true, address } },
      },
      { parent: this, dependsOn: [operatorNs, ...(server ? [server] : [])] },
    );

    this.address = server ? server.name.apply(() => address) : pulumi.output(address);
    this.registerOutputs({ address: this.address });
  }

  /** Dev mode: in-memory, unsealed, the chart's well-known dev root token; never for anything but a laptop. */
  private devServer(): k8s.helm.v3.Release {
    // Vault's own traffic stays outside the mesh: terraform reaches it by port-forward during bootstrap.
    const ns = meshNamespace(vault.namespace, 'disabled', { parent: this });
    return new k8s.helm.v3.Release(
      'vault',
      {
        ...releaseChart(chartPins.vault),
        name: 'vault',
        namespace: vault.namespace,
        values: {
          server: { dev: { enabled: true } },
          // The service logs in with its own Kubernetes auth; no agent injection.
          injector: { enabled: false },
        },
      },
      { parent: this, dependsOn: [ns] },
    );
  }
}
