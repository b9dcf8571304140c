import type { KubeObject } from './kube-objects.js';

export interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}

/** A pod as its owner's template describes it: what NetworkPolicy selects and what its containers read. */
export interface PodTemplate {
  /** `Kind namespace/name` of the owner. */
  subject: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  dnsPolicy: string;
  containers: Container[];
}

interface TemplateSpec {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: Container[]; initContainers?: Container[]; dnsPolicy?: string };
}

function templateOf(owner: KubeObject): TemplateSpec | undefined {
  const spec = owner.spec as {
    template?: TemplateSpec;
    jobTemplate?: { spec?: { template?: TemplateSpec } };
  };
  if (owner.kind === 'CronJob') return spec?.jobTemplate?.spec?.template;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(owner.kind))
    return spec?.template;
  return undefined;
}

/** The pods every workload object of the stage would run (one template per owner). */
export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  return objects.flatMap((owner): PodTemplate[] => {
    const template = templateOf(owner);
    if (!template) return [];
    const namespace = owner.metadata.namespace ?? 'default';
    return [
      {
        subject: `${owner.kind} ${namespace}/${owner.metadata.name}`,
        namespace,
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        dnsPolicy: template.spec?.dnsPolicy ?? 'ClusterFirst',
        containers: [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])],
      },
    ];
  });
}

/**
 * The environment a container's process sees from the manifests: ConfigMaps named in `envFrom` first, then
 * `env` entries over them (Kubernetes gives `env` precedence over `envFrom`).
 */
export function containerEnvironment(
  container: Container,
  namespace: string,
  objects: readonly KubeObject[],
): Record<string, string> {
  const fromConfigMaps = (container.envFrom ?? []).flatMap((source) => {
    const name = source.configMapRef?.name;
    const map = objects.find(
      (o) =>
        o.kind === 'ConfigMap' &&
        o.metadata.name === name &&
        (o.metadata.namespace ?? 'default') === namespace,
    );
    return Object.entries(map?.data ?? {});
  });
  const literal = (container.env ?? []).flatMap((e) =>
    e.value === undefined ? [] : [[e.name, e.value] as const],
  );
  return Object.fromEntries([...fromConfigMaps, ...literal]);
}
