import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { Environment } from '../config/environment-schema.js';
import { type ImageReference, imageVersion } from '../config/image-reference.js';
import { service } from '../contract.js';
import type { ShutdownBudget } from '../runtime/shutdown.js';
import { type Component, objectLabels, selectorLabels } from './labels.js';
import {
  containerSecurityContext,
  podSecurityContext,
  resourceRequirements,
  tmpMount,
  tmpVolume,
} from './security-context.js';

const k8s = kplus.k8s;

/** A fixed count, or a range a CPU-driven HorizontalPodAutoscaler moves within (when max > min). */
export type Replicas =
  | number
  | { readonly min: number; readonly max: number; readonly targetCpuUtilization: number };

export interface WorkloadProps {
  readonly env: Environment;
  readonly image: ImageReference;
  readonly component: Exclude<Component, 'migration'>;
  readonly name: string;
  readonly command: readonly string[];
  readonly configMapName: string;
  readonly configChecksum: string;
  /** The HTTP port and the health routes the probes call. */
  readonly http: { readonly port: number; readonly livePath: string; readonly readyPath: string };
  /** Expose the port as a Service (the API does; a worker only needs its probes). */
  readonly exposeService: boolean;
  readonly replicas: Replicas;
  readonly resources: Environment['resources'];
  readonly shutdown: ShutdownBudget;
  /** Variables of this process only, over the shared ConfigMap (which `envFrom` loads first). */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * A Rollout runs the pods (canary-release.ts): the Deployment stays the pod template the Rollout reads, the
   * Rollout owns the replica count (the HPA scales it, not the Deployment), and a second Service with the same
   * selector carries the canary's traffic (`canaryService`).
   */
  readonly rollout?: { readonly canaryServiceName: string; readonly apiVersion: string };
}

/**
 * A long-running process of the service: Deployment, optional Service, HPA when it may scale, and a PDB.
 * The API uses it; the background worker gets its own instance from the same construct.
 */
export class Workload extends Construct {
  readonly deployment: kplus.k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const { env, name, component, replicas } = props;
    const selector = selectorLabels(component);
    const range = typeof replicas === 'number' ? undefined : replicas;
    const scales = range !== undefined && range.max > range.min;
    const fixed = typeof replicas === 'number' ? replicas : replicas.min;

    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, labels: objectLabels(component) },
      spec: {
        // With an HPA the replica count is its decision; a fixed count here would fight it on every apply.
        // Under a Rollout the controller scales the Deployment to zero once its own pods run.
        ...(scales || props.rollout ? {} : { replicas: fixed }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxSurge: k8s.IntOrString.fromString('25%'),
            maxUnavailable: k8s.IntOrString.fromNumber(0),
          },
        },
        template: {
          metadata: {
            labels: objectLabels(component),
            annotations: { 'platform/config-checksum': props.configChecksum },
          },
          spec: podSpec(props),
        },
      },
    });

    const serviceNames = props.rollout ? [name, props.rollout.canaryServiceName] : [name];
    for (const serviceName of props.exposeService ? serviceNames : []) {
      // The canary Service carries the same labels: the ServiceMonitor scrapes the canary pods through it.
      new k8s.KubeService(this, serviceName === name ? 'service' : `service-${serviceName}`, {
        metadata: { name: serviceName, labels: objectLabels(component) },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [
            {
              name: 'http',
              port: props.http.port,
              targetPort: k8s.IntOrString.fromString('http'),
              protocol: 'TCP',
              appProtocol: 'http',
            },
          ],
        },
      });
    }

    if (scales && range) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
        metadata: { name, labels: objectLabels(component) },
        spec: {
          scaleTargetRef: props.rollout
            ? { apiVersion: props.rollout.apiVersion, kind: 'Rollout', name }
            : { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: range.min,
          maxReplicas: range.max,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: range.targetCpuUtilization },
              },
            },
          ],
          // Scale in slowly: a brief lull should not drop capacity the next burst needs.
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      });
    }

    new k8s.KubePodDisruptionBudget(this, 'disruption-budget', {
      metadata: { name, labels: objectLabels(component) },
      spec: {
        selector: { matchLabels: selector },
        maxUnavailable: k8s.IntOrString.fromNumber(env.disruption.maxUnavailable),
        // A crash-looping pod must not block node drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}

function podSpec(props: WorkloadProps): kplus.k8s.PodSpec {
  const { env, component } = props;
  const sync = env.devLoop.syncSources;
  return {
    serviceAccountName: service.serviceAccount,
    // Vault's Kubernetes auth logs in with this pod's service-account token; nothing else uses it.
    automountServiceAccountToken: true,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: props.shutdown.gracePeriodSeconds,
    securityContext: podSecurityContext(),
    topologySpreadConstraints: [
      spreadConstraint('topology.kubernetes.io/zone', env.spread.zone, component),
      spreadConstraint('kubernetes.io/hostname', env.spread.node, component),
    ],
    ...(sync ? { initContainers: [seedSources(props)] } : {}),
    containers: [
      {
        name: component,
        image: props.image.ref,
        imagePullPolicy: env.image.pullPolicy,
        command: [...props.command],
        ports: [{ name: 'http', containerPort: props.http.port, protocol: 'TCP' }],
        envFrom: [{ configMapRef: { name: props.configMapName } }],
        env: [
          ...downwardApiEnv(),
          // Per image, not in the shared ConfigMap: a new image rolls the pods anyway, the config need not change.
          { name: 'APP_VERSION', value: imageVersion(props.image) },
          ...Object.entries(props.environment ?? {}).map(([name, value]) => ({ name, value })),
        ],
        resources: resourceRequirements(props.resources),
        securityContext: containerSecurityContext(),
        // Startup gives a cold start (Vault login, first DB connection) up to a minute before liveness counts.
        startupProbe: httpProbe(props.http.livePath, { periodSeconds: 2, failureThreshold: 30 }),
        readinessProbe: httpProbe(props.http.readyPath, { periodSeconds: 5, failureThreshold: 2 }),
        livenessProbe: httpProbe(props.http.livePath, { periodSeconds: 10, failureThreshold: 3 }),
        ...preStop(props.shutdown),
        volumeMounts: [tmpMount, ...(sync ? [sourcesMount] : [])],
      },
    ],
    volumes: [tmpVolume, ...(sync ? [sourcesVolume] : [])],
  };
}

/** Endpoints are removed asynchronously: keep serving until the gateway and kube-proxy have caught up. */
function preStop(shutdown: ShutdownBudget): Pick<kplus.k8s.Container, 'lifecycle'> {
  if (shutdown.preStopSeconds === undefined) return {};
  return { lifecycle: { preStop: { sleep: { seconds: shutdown.preStopSeconds } } } };
}

function httpProbe(
  path: string,
  timing: { periodSeconds: number; failureThreshold: number },
): kplus.k8s.Probe {
  return { httpGet: { path, port: k8s.IntOrString.fromString('http') }, timeoutSeconds: 2, ...timing };
}

function spreadConstraint(
  topologyKey: string,
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway',
  component: Component,
): kplus.k8s.TopologySpreadConstraint {
  return {
    topologyKey,
    maxSkew: 1,
    whenUnsatisfiable,
    labelSelector: { matchLabels: selectorLabels(component) },
    // Count only pods of the same rollout, so a surge does not skew the spread of the new ReplicaSet.
    matchLabelKeys: ['pod-template-hash'],
  };
}

/** Pod identity for OpenTelemetry resource attributes (k8s.*), read by the SDK's environment detector. */
function downwardApiEnv(): kplus.k8s.EnvVar[] {
  const field = (fieldPath: string) => ({ fieldRef: { fieldPath } });
  return [
    { name: 'K8S_POD_NAME', valueFrom: field('metadata.name') },
    { name: 'K8S_NAMESPACE_NAME', valueFrom: field('metadata.namespace') },
    { name: 'K8S_NODE_NAME', valueFrom: field('spec.nodeName') },
    {
      name: 'OTEL_RESOURCE_ATTRIBUTES',
      value:
        'k8s.pod.name=$(K8S_POD_NAME),k8s.namespace.name=$(K8S_NAMESPACE_NAME),k8s.node.name=$(K8S_NODE_NAME)',
    },
  ];
}

/*
 * Developer loop only: Skaffold syncs app/src into the running container, but the root filesystem is read-only.
 * The sources therefore live in an emptyDir, seeded from the dev image before the app starts.
 */
const sourcesVolume: kplus.k8s.Volume = { name: 'sources', emptyDir: {} };
const sourcesMount: kplus.k8s.VolumeMount = { name: 'sources', mountPath: `${service.workdir}/src` };

function seedSources(props: WorkloadProps): kplus.k8s.Container {
  return {
    name: 'seed-sources',
    image: props.image.ref,
    imagePullPolicy: props.env.image.pullPolicy,
    command: ['node', '-e', "require('node:fs').cpSync('src', '/seed', { recursive: true })"],
    resources: resourceRequirements(props.resources),
    securityContext: containerSecurityContext(),
    volumeMounts: [{ name: 'sources', mountPath: '/seed' }],
  };
}
