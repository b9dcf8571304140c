import { redis as names } from '@platform/charts/contract';
import type * as k8s from '@pulumi/kubernetes';
import { syncedSecrets } from '../cluster/platform-names.js';
import type { RedisConfig } from '../config/index.js';
import { haproxyConfig } from './master-proxy.js';
import { redisImages } from './redis-images.js';
import { redisNetworkPolicies } from './redis-network-policies.js';
import { findMasterScript, startSentinelScript, startValkeyScript, valkeyConf } from './valkey-scripts.js';

type Metadata = k8s.types.input.meta.v1.ObjectMeta;
type StatefulSetArgs = { metadata: Metadata; spec: k8s.types.input.apps.v1.StatefulSetSpec };
type DeploymentArgs = { metadata: Metadata; spec: k8s.types.input.apps.v1.DeploymentSpec };
type ServiceArgs = { metadata: Metadata; spec: k8s.types.input.core.v1.ServiceSpec };
type ConfigMapArgs = { metadata: Metadata; data: Record<string, string> };
type Container = k8s.types.input.core.v1.Container;
type DisruptionBudgetArgs = {
  metadata: Metadata & { name: string };
  spec: k8s.types.input.policy.v1.PodDisruptionBudgetSpec;
};

/** Sentinel's name for the replicated set; clients never see it (they connect through the master proxy). */
const masterName = 'platform';
const sentinelPort = 26379;
/** Two proxies, so the master stays reachable while one is rescheduled. */
const proxyReplicas = 2;
/** uid/gid of the `valkey` user in the valkey image and of `haproxy` in the haproxy image. */
const valkeyUser = 999;
const haproxyUser = 99;

/** Object names besides the contract's (`redis` StatefulSet, `redis-master` Service). */
export const redisObjectNames = {
  scripts: `${names.release}-scripts`,
  nodesService: `${names.release}-nodes`,
  proxy: `${names.release}-master-proxy`,
} as const;
const nodesService = redisObjectNames.nodesService;
const proxyName = redisObjectNames.proxy;
const nodesDomain = `${nodesService}.${names.namespace}.svc.cluster.local`;
const nodeLabels = { 'app.kubernetes.io/name': names.release, 'app.kubernetes.io/component': 'node' };
const proxyLabels = {
  'app.kubernetes.io/name': names.release,
  'app.kubernetes.io/component': 'master-proxy',
};
const meta = (name: string, labels: Record<string, string>) => ({ name, namespace: names.namespace, labels });

const password = {
  name: 'REDIS_PASSWORD',
  valueFrom: { secretKeyRef: { name: syncedSecrets.redis.name, key: syncedSecrets.redis.vaultKey } },
};

const hardened = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

export interface RedisObjects {
  scripts: ConfigMapArgs;
  nodesService: ServiceArgs;
  nodes: StatefulSetArgs;
  masterService: ServiceArgs;
  /** Only with Sentinel: the proxy that follows the master. */
  proxyConfig?: ConfigMapArgs;
  proxy?: DeploymentArgs;
  networkPolicies: ReturnType<typeof redisNetworkPolicies>;
  /** With Sentinel: voluntary evictions take one node (quorum survives) and one proxy at a time. */
  disruptionBudgets: DisruptionBudgetArgs[];
}

/**
 * Redis for a stage, as plain Kubernetes objects: Valkey nodes in a StatefulSet (one node standalone; with
 * Sentinel, N nodes each with a Sentinel beside it) and the contract's `redis-master` Service, which selects the
 * only node (standalone) or the HAProxy pods that follow whichever node Sentinel made master.
 */
export function redisObjects(config: RedisConfig): RedisObjects {
  const sentinel = config.topology === 'sentinel';
  const nodeCount = sentinel ? config.replicas : 1;
  const env = [
    password,
    { name: 'SET_NAME', value: names.release },
    { name: 'NODES_DOMAIN', value: nodesDomain },
    { name: 'NODE_COUNT', value: String(nodeCount) },
    { name: 'MASTER_NAME', value: masterName },
    { name: 'SENTINEL_QUORUM', value: String(Math.floor(nodeCount / 2) + 1) },
    { name: 'VALKEY_CONFIG', value: '/config/valkey.conf' },
  ];
  const runDir = (path: string) => ({ name: 'RUN_DIR', value: path });
  const scripts: ConfigMapArgs = {
    metadata: meta(redisObjectNames.scripts, nodeLabels),
    data: {
      'valkey.conf': valkeyConf(config.persistence.enabled),
      'start-valkey.sh': startValkeyScript,
      'find-master.sh': findMasterScript,
      'start-sentinel.sh': startSentinelScript,
    },
  };

  const valkey: Container = {
    name: 'valkey',
    image: redisImages.valkey,
    command: ['/scripts/start-valkey.sh'],
    env: [...env, runDir('/run/valkey')],
    ports: [{ name: 'redis', containerPort: names.port }],
    resources: config.resources,
    securityContext: hardened,
    readinessProbe: {
      exec: {
        command: ['sh', '-c', 'valkey-cli -a "$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG'],
      },
      periodSeconds: 5,
    },
    livenessProbe: { tcpSocket: { port: names.port }, periodSeconds: 10, failureThreshold: 6 },
    volumeMounts: [
      { name: 'data', mountPath: '/data' },
      { name: 'run', mountPath: '/run/valkey' },
      { name: 'config', mountPath: '/config' },
      { name: 'scripts', mountPath: '/scripts' },
    ],
  };
  const sentinelContainer: Container = {
    name: 'sentinel',
    image: redisImages.valkey,
    command: ['/scripts/start-sentinel.sh'],
    env: [...env, runDir('/run/sentinel')],
    ports: [{ name: 'sentinel', containerPort: sentinelPort }],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
    securityContext: hardened,
    readinessProbe: { tcpSocket: { port: sentinelPort }, periodSeconds: 5 },
    livenessProbe: { tcpSocket: { port: sentinelPort }, periodSeconds: 10, failureThreshold: 6 },
    volumeMounts: [
      { name: 'sentinel', mountPath: '/run/sentinel' },
      { name: 'scripts', mountPath: '/scripts' },
    ],
  };

  const scriptVolumes = [
    {
      name: 'config',
      configMap: { name: redisObjectNames.scripts, items: [{ key: 'valkey.conf', path: 'valkey.conf' }] },
    },
    {
      name: 'scripts',
      configMap: {
        name: redisObjectNames.scripts,
        defaultMode: 0o555,
        items: ['start-valkey.sh', 'find-master.sh', 'start-sentinel.sh'].map((key) => ({ key, path: key })),
      },
    },
    { name: 'run', emptyDir: {} },
    ...(sentinel ? [{ name: 'sentinel', emptyDir: {} }] : []),
    ...(config.persistence.enabled ? [] : [{ name: 'data', emptyDir: {} }]),
  ];

  const nodes: StatefulSetArgs = {
    metadata: meta(names.release, nodeLabels),
    spec: {
      serviceName: nodesService,
      replicas: nodeCount,
      selector: { matchLabels: nodeLabels },
      template: {
        metadata: { labels: nodeLabels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: valkeyUser,
            runAsGroup: valkeyUser,
            fsGroup: valkeyUser,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: sentinel ? [valkey, sentinelContainer] : [valkey],
          volumes: scriptVolumes,
          ...(sentinel
            ? {
                // One node per Kubernetes node where possible: a node failure then costs one replica, not a quorum.
                topologySpreadConstraints: [
                  {
                    maxSkew: 1,
                    topologyKey: 'kubernetes.io/hostname',
                    whenUnsatisfiable: 'ScheduleAnyway',
                    labelSelector: { matchLabels: nodeLabels },
                  },
                ],
              }
            : {}),
        },
      },
      ...(config.persistence.enabled
        ? {
            volumeClaimTemplates: [
              {
                metadata: { name: 'data' },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: config.persistence.size } },
                },
              },
            ],
          }
        : {}),
    },
  };

  // Headless: gives each node its stable DNS name (announced to Sentinel and used by the proxy), ready or not.
  const nodesServiceArgs: ServiceArgs = {
    metadata: meta(nodesService, nodeLabels),
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: nodeLabels,
      ports: [
        { name: 'redis', port: names.port, targetPort: names.port },
        ...(sentinel ? [{ name: 'sentinel', port: sentinelPort, targetPort: sentinelPort }] : []),
      ],
    },
  };

  const masterService: ServiceArgs = {
    metadata: meta(names.service, sentinel ? proxyLabels : nodeLabels),
    spec: {
      type: 'ClusterIP',
      selector: sentinel ? proxyLabels : nodeLabels,
      ports: [{ name: 'redis', port: names.port, targetPort: names.port }],
    },
  };

  if (!sentinel) {
    const networkPolicies = redisNetworkPolicies({ nodeLabels });
    return {
      scripts,
      nodesService: nodesServiceArgs,
      nodes,
      masterService,
      networkPolicies,
      disruptionBudgets: [],
    };
  }

  const nodeAddresses = Array.from(
    { length: nodeCount },
    (_, i) => `${names.release}-${i}.${nodesDomain}:${names.port}` as const,
  );
  const proxyConfig: ConfigMapArgs = {
    metadata: meta(proxyName, proxyLabels),
    data: { 'haproxy.cfg': haproxyConfig(nodeAddresses, names.port) },
  };
  const proxy: DeploymentArgs = {
    metadata: meta(proxyName, proxyLabels),
    spec: {
      replicas: proxyReplicas,
      selector: { matchLabels: proxyLabels },
      template: {
        metadata: { labels: proxyLabels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: haproxyUser,
            runAsGroup: haproxyUser,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'haproxy',
              image: redisImages.haproxy,
              args: ['-f', '/usr/local/etc/haproxy/haproxy.cfg'],
              env: [password],
              ports: [{ name: 'redis', containerPort: names.port }],
              resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } },
              securityContext: hardened,
              readinessProbe: { tcpSocket: { port: names.port }, periodSeconds: 5 },
              livenessProbe: { tcpSocket: { port: names.port }, periodSeconds: 10 },
              volumeMounts: [
                { name: 'config', mountPath: '/usr/local/etc/haproxy' },
                { name: 'run', mountPath: '/var/run' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: proxyName } },
            { name: 'run', emptyDir: {} },
          ],
        },
      },
    },
  };
  const networkPolicies = redisNetworkPolicies({ nodeLabels, proxyLabels });
  const disruptionBudgets: DisruptionBudgetArgs[] = [
    {
      metadata: meta(names.release, nodeLabels),
      spec: { maxUnavailable: 1, selector: { matchLabels: nodeLabels } },
    },
    {
      metadata: meta(proxyName, proxyLabels),
      spec: { maxUnavailable: 1, selector: { matchLabels: proxyLabels } },
    },
  ];
  return {
    scripts,
    nodesService: nodesServiceArgs,
    nodes,
    masterService,
    proxyConfig,
    proxy,
    networkPolicies,
    disruptionBudgets,
  };
}
