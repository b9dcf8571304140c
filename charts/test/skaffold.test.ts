import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Ajv } from 'ajv';
import { DockerfileParser } from 'dockerfile-ast';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseImageReference } from '../src/config/image-reference.js';
import { type Stage, service, stages } from '../src/contract.js';
import { defaultImage } from '../src/synth/cli.js';
import { renderManifests } from '../src/synth/render-manifests.js';
import { synthEnvironment } from '../src/synth/synth-environment.js';
import { only } from './support/fixtures.js';
import { repoRoot } from './support/repo.js';

interface Manifests {
  rawYaml: string[];
  hooks: { before: Array<{ host: { command: string[] } }> };
}
interface SkaffoldConfig {
  apiVersion: string;
  build: {
    artifacts: Array<{
      image: string;
      context: string;
      docker: { dockerfile: string; target: string };
      sync: { manual: Array<{ src: string; dest: string; strip?: string }> };
    }>;
  };
  manifests: Manifests;
  deploy: { kubectl: { defaultNamespace: string } };
  portForward: Array<{ resourceType: string; resourceName: string; namespace: string; port: number }>;
  profiles: Array<{
    name: string;
    manifests?: Manifests;
    patches?: Array<{ op: string; path: string; value?: unknown }>;
    deploy?: { kubectl: { defaultNamespace: string } };
  }>;
}

const raw = readFileSync(join(repoRoot, 'skaffold.yaml'), 'utf8');
const config = parse(raw) as SkaffoldConfig;
const artifact = config.build.artifacts[0]!;
const dockerStages = DockerfileParser.parse(readFileSync(join(repoRoot, artifact.docker.dockerfile), 'utf8'))
  .getFROMs()
  .map((f) => f.getBuildStage());

/** Each manifests section with the environment it deploys: the base config is the local developer loop. */
const deployments: Array<[string, Manifests]> = [
  ['(base)', config.manifests],
  ...config.profiles.filter((p) => p.manifests).map((p): [string, Manifests] => [p.name, p.manifests!]),
];

function environmentOf(glob: string): Stage {
  const match = /^charts\/dist\/([a-z]+)\/\*\.yaml$/.exec(glob);
  expect(match, glob).not.toBeNull();
  expect(stages, glob).toContain(match![1]);
  return match![1] as Stage;
}

describe('skaffold.yaml', () => {
  it('is valid against the published schema of its apiVersion', () => {
    expect(config.apiVersion).toBe('skaffold/v4beta14');
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures/skaffold-v4beta14.schema.json'), 'utf8'),
    );
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(config), ajv.errorsText(validate.errors)).toBe(true);
    // The schema is strict enough to catch a misspelled field.
    const misspelled = { ...config, portForward: [{ ...config.portForward[0], localport: 3000 }] };
    expect(validate(misspelled)).toBe(false);
  });

  it('builds the image the chart deploys, from app/Dockerfile in the repository root', () => {
    expect(artifact.image).toBe(service.image);
    expect(artifact.context).toBe('.');
    expect(existsSync(join(repoRoot, artifact.docker.dockerfile))).toBe(true);
    expect(dockerStages).toContain(artifact.docker.target);
  });

  it('deploys an image reference Skaffold can replace: same repository, a tag, no digest', () => {
    const local = synthEnvironment('local', { image: defaultImage('local') });
    const image = parseImageReference(local.image, { requireDigest: false });
    expect(image.repository).toBe(artifact.image);
    expect(image.digest).toBeUndefined();
  });

  it('names one profile per environment, and only existing environments', () => {
    expect(config.profiles.map((p) => p.name).sort()).toEqual([...stages].sort());
  });

  it.each(deployments)(
    '%s: reads rawYaml files that synth produces, and regenerates them first',
    (_name, manifests) => {
      const envs = manifests.rawYaml.map(environmentOf);
      expect(envs).toHaveLength(1);
      const env = envs[0]!;
      const produced = [...renderManifests(synthEnvironment(env, { image: defaultImage(env) })).keys()];
      expect(produced.length).toBeGreaterThan(0);
      for (const file of produced)
        expect(existsSync(join(repoRoot, 'charts/dist', env, file)), file).toBe(true);

      const hook = manifests.hooks.before.map((h) => h.host.command);
      expect(hook).toHaveLength(1);
      const command = hook[0]!;
      expect(command.slice(0, 4)).toEqual(['npm', 'run', '--silent', 'synth']);
      expect(command[command.indexOf('--env') + 1]).toBe(env);
    },
  );

  it('requires a pushed digest for every environment that deploys digests only', () => {
    for (const profile of config.profiles.filter((p) => p.manifests)) {
      const env = environmentOf(profile.manifests!.rawYaml[0]!);
      const command = profile.manifests!.hooks.before[0]!.host.command;
      expect(command.includes('--require-image'), profile.name).toBe(env !== 'local');
    }
  });

  it('builds the runtime target, without file sync, for the cluster environments', () => {
    for (const profile of config.profiles.filter((p) => p.name !== 'local')) {
      const target = profile.patches?.find((p) => p.path === '/build/artifacts/0/docker/target');
      expect(target?.value, profile.name).toBe('runtime');
      expect(dockerStages).toContain(target?.value);
      expect(
        profile.patches?.some((p) => p.op === 'remove' && p.path === '/build/artifacts/0/sync'),
        profile.name,
      ).toBe(true);
    }
  });

  it('syncs app/src into the writable sources volume of every process the local chart runs', () => {
    const local = synthEnvironment('local', { image: defaultImage('local') });
    // Skaffold syncs into every container built from the artifact: the API and the worker alike.
    for (const name of [service.name, service.worker.name]) {
      const deployment = only(local, 'Deployment', name) as unknown as IDeployment;
      const mounts = deployment.spec!.template.spec!.containers[0]!.volumeMounts ?? [];
      for (const rule of artifact.sync.manual) {
        const landed = posix.join(rule.dest, 'app/src/main.ts'.replace(rule.strip ?? '', ''));
        expect(landed).toBe(`${service.workdir}/src/main.ts`);
        expect(
          mounts.some((m) => landed.startsWith(`${m.mountPath}/`)),
          name,
        ).toBe(true);
      }
    }
  });

  it('port-forwards the service port in the service namespace', () => {
    expect(config.portForward).toEqual([
      expect.objectContaining({
        resourceType: 'service',
        resourceName: service.name,
        namespace: service.namespace,
        port: service.port,
      }),
    ]);
    expect(config.deploy.kubectl.defaultNamespace).toBe(service.namespace);
    for (const profile of config.profiles.filter((p) => p.deploy)) {
      expect(profile.deploy?.kubectl.defaultNamespace).toBe(service.namespace);
    }
  });
});
