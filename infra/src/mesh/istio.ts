import { mesh } from '@platform/charts/contract';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { chartPins, releaseChart } from '../cluster/chart-pins.js';
import { meshNamespace } from '../cluster/mesh-namespace.js';
import { istioIngress, tracingProvider } from '../cluster/platform-names.js';
import type { MeshConfig } from '../config/index.js';

export interface IstioArgs {
  config: MeshConfig;
  /** Where sidecars send spans (OTLP gRPC); known before the collector exists, so no cycle. */
  tracing: { host: string; port: number };
}

/**
 * The mesh: CRDs (base), control plane (istiod) and the ingress gateway, installed in that order, plus the
 * mesh-wide mTLS mode, tracing to the collector, and the Gateway the service's VirtualService binds to.
 */
export class Istio extends pulumi.ComponentResource {
  /** Resources that must exist before a workload may rely on sidecar injection and Istio CRDs. */
  readonly controlPlane: pulumi.Resource;
  readonly gateway: pulumi.Resource;

  constructor(name: string, args: IstioArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:mesh:Istio', name, {}, opts);
    const { config, tracing } = args;

    // The control plane namespace runs no workloads of ours; gateways get their proxy from the gateway chart.
    const system = meshNamespace(mesh.istioNamespace, 'disabled', { parent: this });
    const ingressNs = meshNamespace(mesh.ingressNamespace, 'enabled', { parent: this });

    const base = new k8s.helm.v3.Release(
      'istio-base',
      {
        ...releaseChart(chartPins.istioBase),
        name: 'istio-base',
        namespace: mesh.istioNamespace,
        values: { defaultRevision: 'default' },
      },
      { parent: this, dependsOn: [system] },
    );

    const istiod = new k8s.helm.v3.Release(
      'istiod',
      {
        ...releaseChart(chartPins.istiod),
        name: 'istiod',
        namespace: mesh.istioNamespace,
        values: {
          pilot: {
            // Sidecars as native sidecar containers: Jobs (migrations, CNPG bootstrap) finish instead of
            // waiting forever on a proxy that never exits.
            env: { ENABLE_NATIVE_SIDECARS: 'true' },
          },
          meshConfig: {
            accessLogFile: '/dev/stdout',
            accessLogEncoding: 'JSON',
            extensionProviders: [
              { name: tracingProvider, opentelemetry: { service: tracing.host, port: tracing.port } },
            ],
          },
        },
      },
      { parent: this, dependsOn: [base] },
    );

    this.gateway = new k8s.helm.v3.Release(
      istioIngress.release,
      {
        ...releaseChart(chartPins.istioGateway),
        name: istioIngress.release,
        namespace: mesh.ingressNamespace,
        values: {
          replicaCount: config.ingress.replicas,
          autoscaling: { enabled: false },
          service: { type: config.ingress.serviceType },
        },
      },
      { parent: this, dependsOn: [istiod, ingressNs] },
    );

    new k8s.apiextensions.CustomResource(
      'mesh-mtls',
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: mesh.istioNamespace },
        spec: { mtls: { mode: config.mtls } },
      },
      { parent: this, dependsOn: [istiod] },
    );

    new k8s.apiextensions.CustomResource(
      'mesh-tracing',
      {
        apiVersion: 'telemetry.istio.io/v1',
        kind: 'Telemetry',
        metadata: { name: 'mesh-default', namespace: mesh.istioNamespace },
        spec: {
          tracing: [
            {
              providers: [{ name: tracingProvider }],
              randomSamplingPercentage: config.tracingSamplingPercent,
            },
          ],
        },
      },
      { parent: this, dependsOn: [istiod] },
    );

    const [gatewayNamespace, gatewayName] = mesh.gateway.split('/') as [string, string];
    new k8s.apiextensions.CustomResource(
      'platform-gateway',
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: gatewayName, namespace: gatewayNamespace },
        spec: { selector: istioIngress.selector, servers: gatewayServers(config.ingress) },
      },
      { parent: this, dependsOn: [this.gateway] },
    );

    this.controlPlane = istiod;
    this.registerOutputs({});
  }
}

function gatewayServers(ingress: MeshConfig['ingress']) {
  const { hosts, tlsCredentialName } = ingress;
  if (!tlsCredentialName) {
    return [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }];
  }
  return [
    { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } },
    {
      port: { number: 443, name: 'https', protocol: 'HTTPS' },
      hosts,
      tls: { mode: 'SIMPLE', credentialName: tlsCredentialName },
    },
  ];
}
