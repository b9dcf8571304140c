import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { describe, expect, it } from 'vitest';
import { environments } from '../src/config/environments.js';
import { InvalidImageReference } from '../src/config/image-reference.js';
import { withOverrides } from '../src/config/stage-override.js';
import { configMapName } from '../src/constructs/app-config-map.js';
import { service, stages } from '../src/contract.js';
import type { KubeObject, SynthesizedEnvironment } from '../src/synth/synth-environment.js';
import { synthEnvironment } from '../src/synth/synth-environment.js';
import { all, imageFor, only, synthesized } from './support/fixtures.js';

const as = <T>(o: KubeObject) => o as unknown as T;

function podSpecs(result: SynthesizedEnvironment): Array<[string, IPodSpec]> {
  const deployments = all(result, 'Deployment').map((o) => as<IDeployment>(o));
  const jobs = all(result, 'Job').map((o) => as<IJob>(o));
  return [
    ...deployments.map((d): [string, IPodSpec] => [`Deployment/${d.metadata?.name}`, d.spec!.template.spec!]),
    ...jobs.map((j): [string, IPodSpec] => [`Job/${j.metadata?.name}`, j.spec!.template.spec!]),
  ];
}

function containersOf(spec: IPodSpec): IContainer[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

describe.each(synthesized.map((r) => [r.env, r] as const))('%s invariants', (env, result) => {
  const deployment = as<IDeployment>(only(result, 'Deployment', service.name));
  const pod = deployment.spec!.template.spec!;
  const api = pod.containers.find((c) => c.name === 'api')!;
  const settings = as<IConfigMap>(only(result, 'ConfigMap', configMapName)).data!;

  it('runs every container with the restricted security context', () => {
    for (const [owner, spec] of podSpecs(result)) {
      expect(spec.securityContext?.runAsNonRoot, owner).toBe(true);
      expect(spec.securityContext?.seccompProfile?.type, owner).toBe('RuntimeDefault');
      for (const c of containersOf(spec)) {
        const where = `${owner} ${c.name}`;
        expect(c.securityContext?.runAsNonRoot, where).toBe(true);
        expect(c.securityContext?.runAsUser, where).toBeGreaterThan(0);
        expect(c.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.capabilities?.drop, where).toEqual(['ALL']);
        expect(c.securityContext?.capabilities?.add ?? [], where).toEqual([]);
        expect(c.securityContext?.seccompProfile?.type, where).toBe('RuntimeDefault');
        expect(c.resources?.requests?.cpu && c.resources.requests.memory, where).toBeTruthy();
        expect(c.resources?.limits?.cpu && c.resources.limits.memory, where).toBeTruthy();
      }
    }
  });

  it('gives every container a writable /tmp on an emptyDir', () => {
    for (const [owner, spec] of podSpecs(result)) {
      const tmp = spec.volumes?.find(
        (v) =>
          v.emptyDir &&
          spec.containers[0]?.volumeMounts?.some((m) => m.name === v.name && m.mountPath === '/tmp'),
      );
      expect(tmp, owner).toBeDefined();
    }
  });

  it('probes the app on its real health routes and port', () => {
    expect(api.startupProbe?.httpGet?.path).toBe(service.paths.live);
    expect(api.livenessProbe?.httpGet?.path).toBe(service.paths.live);
    expect(api.readinessProbe?.httpGet?.path).toBe(service.paths.ready);
    for (const probe of [api.startupProbe, api.livenessProbe, api.readinessProbe]) {
      const port = probe?.httpGet?.port;
      const declared = api.ports?.find((p) => p.name === port || p.containerPort === port);
      expect(declared?.containerPort).toBe(service.port);
    }
    expect(settings.PORT).toBe(String(service.port));
  });

  it('outlasts the drain: grace period exceeds the preStop pause plus SHUTDOWN_TIMEOUT_MS', () => {
    const drainSeconds = Number(settings.SHUTDOWN_TIMEOUT_MS) / 1000;
    const preStop = api.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(preStop).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + drainSeconds);
  });

  it('runs exactly the image it was given, in every container', () => {
    for (const [owner, spec] of podSpecs(result)) {
      for (const c of containersOf(spec)) expect(c.image, `${owner} ${c.name}`).toBe(imageFor(env));
    }
  });

  it('mounts the service-account token only where Vault login needs it, never by default', () => {
    expect(only(result, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    for (const [owner, spec] of podSpecs(result)) {
      expect(spec.serviceAccountName, owner).toBe(service.serviceAccount);
      expect(spec.automountServiceAccountToken, owner).toBe(true);
    }
  });

  it('spreads pods across nodes and zones', () => {
    const keys = pod.topologySpreadConstraints?.map((t) => t.topologyKey);
    expect(keys).toEqual(expect.arrayContaining(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']));
  });

  it('keeps the migration Job out of the mesh, bounded and cleaned up', () => {
    const job = as<IJob>(only(result, 'Job'));
    expect(job.spec?.template.metadata?.labels?.['sidecar.istio.io/inject']).toBe('false');
    expect(job.spec?.backoffLimit).toBeGreaterThanOrEqual(0);
    expect(job.spec?.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(job.spec?.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
    expect(job.spec?.template.spec?.containers[0]?.command).toEqual([...service.commands.migrate]);
  });

  it('leaves the replica count to the HPA when there is one', () => {
    const hpas = all(result, 'HorizontalPodAutoscaler').map((o) => as<IHorizontalPodAutoscaler>(o));
    const config = environments[env];
    if (config.replicas.max > config.replicas.min) {
      expect(hpas).toHaveLength(1);
      expect(deployment.spec?.replicas).toBeUndefined();
      expect(hpas[0]?.spec?.minReplicas).toBe(config.replicas.min);
    } else {
      expect(hpas).toHaveLength(0);
      expect(deployment.spec?.replicas).toBe(config.replicas.min);
    }
  });
});

describe('production', () => {
  const prod = synthesized.find((r) => r.env === 'prod')!;

  it('keeps at least three replicas', () => {
    expect(
      as<IHorizontalPodAutoscaler>(only(prod, 'HorizontalPodAutoscaler')).spec?.minReplicas,
    ).toBeGreaterThanOrEqual(3);
  });

  it('allows at most one voluntary disruption', () => {
    const pdb = as<IPodDisruptionBudget>(only(prod, 'PodDisruptionBudget', service.name));
    expect(pdb.spec?.maxUnavailable).toBe(1);
    expect(pdb.spec?.selector).toEqual(
      as<IDeployment>(only(prod, 'Deployment', service.name)).spec?.selector,
    );
  });

  it('refuses to schedule pods unevenly across zones', () => {
    const spread = as<IDeployment>(only(prod, 'Deployment', service.name)).spec?.template.spec
      ?.topologySpreadConstraints;
    expect(spread?.find((t) => t.topologyKey === 'topology.kubernetes.io/zone')?.whenUnsatisfiable).toBe(
      'DoNotSchedule',
    );
  });

  it('enforces strict mTLS and turns the docs page off', () => {
    expect(only(prod, 'PeerAuthentication', service.name).spec).toMatchObject({ mtls: { mode: 'STRICT' } });
    expect(as<IConfigMap>(only(prod, 'ConfigMap', configMapName)).data?.DOCS_ENABLED).toBe('false');
  });
});

describe('image references', () => {
  const tagged = 'ghcr.io/platform-org/platform-api:1.4.2';

  it.each(stages.filter((s) => environments[s].image.requireDigest))('%s refuses a tag', (env) => {
    expect(() => synthEnvironment(env, { image: tagged })).toThrow(InvalidImageReference);
  });

  it('local accepts a tag', () => {
    expect(synthEnvironment('local', { image: tagged }).image).toBe(tagged);
  });

  it('only local may deploy without a digest', () => {
    expect(stages.filter((s) => !environments[s].image.requireDigest)).toEqual(['local']);
  });

  it('gives each image its own migration Job, since a Job template cannot change', () => {
    const other = `ghcr.io/platform-org/platform-api@sha256:${'4e'.repeat(32)}`;
    const a = only(synthEnvironment('prod', { image: other }), 'Job').metadata.name;
    const b = only(synthesized.find((r) => r.env === 'prod')!, 'Job').metadata.name;
    expect(a).not.toBe(b);
  });
});

describe('stage data: one base and per-stage overrides', () => {
  it('merges objects field by field and replaces arrays and scalars whole, leaving the inputs as they were', () => {
    const base = {
      mesh: { hosts: ['a', 'b'], retries: { attempts: 2, perTryTimeout: '5s' } },
      level: 'info',
    };
    const merged = withOverrides(
      base,
      { mesh: { hosts: ['c'], retries: { attempts: 0 } } },
      { level: 'debug' },
    );
    expect(merged).toEqual({
      mesh: { hosts: ['c'], retries: { attempts: 0, perTryTimeout: '5s' } },
      level: 'debug',
    });
    expect(base.mesh.hosts).toEqual(['a', 'b']);
    expect(base.mesh.retries.attempts).toBe(2);
  });

  it('gives every stage a complete environment (the schema parses each merged stage)', () => {
    for (const stage of stages) expect(environments[stage].name).toBe(stage);
  });
});
