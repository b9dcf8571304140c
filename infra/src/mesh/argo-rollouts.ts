import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { chartPins, releaseChart } from '../cluster/chart-pins.js';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import { argoRollouts } from '../cluster/platform-names.js';

/**
 * Argo Rollouts, the engine of the service's canary releases (docs/ci-cd.md says why this one): its CRDs and
 * controller, which moves the weights of the service's Istio VirtualService and runs the analyses. Installed
 * with the mesh, on the stages whose chart config has canary releases on; the service's workload waits for it.
 */
export class ArgoRollouts extends pulumi.ComponentResource {
  readonly ready: pulumi.Resource;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('platform:mesh:ArgoRollouts', name, {}, opts);

    // The controller talks to the Kubernetes API and Prometheus only; no traffic of the service passes it.
    const namespace = meshNamespace(argoRollouts.namespace, 'disabled', { parent: this });

    this.ready = new k8s.helm.v3.Release(
      argoRollouts.release,
      {
        ...releaseChart(chartPins.argoRollouts),
        name: argoRollouts.release,
        namespace: argoRollouts.namespace,
        values: {
          // The CRDs come with the chart, and stay when it is uninstalled: deleting them deletes every Rollout.
          installCRDs: true,
          keepCRDs: true,
          controller: {
            // One leader, one standby: a release in flight keeps being judged while a node drains.
            replicas: 2,
            pdb: { enabled: true, minAvailable: 1 },
            resources: {
              requests: { cpu: '50m', memory: '128Mi' },
              limits: { cpu: '500m', memory: '512Mi' },
            },
          },
          dashboard: { enabled: false },
        },
      },
      { parent: this, dependsOn: [namespace] },
    );
    this.registerOutputs({});
  }
}
