import { truthy, type Values, valueAt } from './helm-values.js';

/**
 * Whether a release can finish waiting on the cluster it lands on.
 *
 * helm.v3.Release waits for every resource of the chart unless `skipAwait` is set:
 * pulumi/pulumi-kubernetes@v4.34 provider/pkg/provider/helm_release.go sets `client.Wait = !SkipAwait` and a
 * 300 s default timeout, and Helm's waiter (helm/helm@v3.20.2 pkg/kube/ready.go `serviceReady`) holds a
 * `LoadBalancer` Service not ready until `status.loadBalancer.ingress` is set (or `spec.externalIPs` is).
 * A cluster without a load-balancer controller (kind, without cloud-provider-kind or MetalLB) never sets it: the
 * release times out and the update fails.
 */
export interface ClusterCapabilities {
  /** Whether a LoadBalancer Service gets an ingress address (cloud clusters yes; kind no). */
  loadBalancerAddresses: boolean;
  /**
   * On a cluster whose nodes the host reaches only through mapped ports (kind's extraPortMappings): the node
   * ports mapped. Absent where nodes are reachable directly.
   */
  hostMappedNodePorts?: readonly number[];
}

/** Where each chart sets the type of a Service it renders, and what must hold for that Service to exist. */
interface ServiceTypeField {
  type: string;
  externalIPs?: string;
  when?: (values: Values) => boolean;
  source: string;
}

export const chartServiceTypes: Record<string, readonly ServiceTypeField[]> = {
  'istio-gateway@1.30.3': [
    {
      type: 'service.type',
      externalIPs: 'service.externalIPs',
      source: 'istio/istio@1.30.3 manifests/charts/gateway/templates/service.yaml',
    },
  ],
  'opentelemetry-collector@0.170.0': [
    {
      type: 'service.type',
      when: (v) => valueAt(v, 'service.enabled') !== false && v.mode !== 'daemonset',
      source:
        'open-telemetry/opentelemetry-helm-charts@opentelemetry-collector-0.170.0 charts/opentelemetry-collector/templates/service.yaml',
    },
  ],
  'vault@0.34.1': [
    {
      type: 'ui.serviceType',
      when: (v) => truthy(valueAt(v, 'ui.enabled')),
      source: 'hashicorp/vault-helm@v0.34.1 templates/ui-service.yaml',
    },
  ],
  'cloudnative-pg@0.29.0': [
    {
      type: 'service.type',
      source: 'cloudnative-pg/charts@cloudnative-pg-v0.29.0 charts/cloudnative-pg/templates/service.yaml',
    },
  ],
};

export interface AwaitProblem {
  path: string;
  message: string;
  source: string;
}

export function awaitProblems(
  chart: string,
  inputs: Record<string, unknown>,
  values: Values,
  cluster: ClusterCapabilities,
): AwaitProblem[] {
  if (inputs.skipAwait === true || cluster.loadBalancerAddresses) return [];
  return (chartServiceTypes[chart] ?? [])
    .filter((field) => valueAt(values, field.type) === 'LoadBalancer')
    .filter((field) => (field.when ? field.when(values) : true))
    .filter((field) => !(field.externalIPs && truthy(valueAt(values, field.externalIPs))))
    .map((field) => ({
      path: `values.${field.type}`,
      message:
        'a LoadBalancer Service never gets an ingress address on this cluster; the release waits for it ' +
        `(skipAwait is not set) and fails after its timeout (${Number(inputs.timeout ?? 300)} s)`,
      source: `${field.source}; helm/helm@v3.20.2 pkg/kube/ready.go; pulumi/pulumi-kubernetes@v4.34 provider/pkg/provider/helm_release.go`,
    }));
}
