import type { Stage } from '@platform/charts/contract';
import * as pulumi from '@pulumi/pulumi';
import { serviceManifests } from '../app/chart-manifests.js';
import type { StageConfig } from '../config/index.js';
import { loadStageConfig } from '../config/index.js';
import { createPlatform, type PlatformOutputs, type ServiceManifestSource } from '../platform.js';

/** One resource the program registered, as the engine would receive it. */
export interface RegisteredResource {
  /** Pulumi type token, e.g. `kubernetes:postgresql.cnpg.io/v1:Cluster` or `kubernetes:helm.sh/v3:Release`. */
  type: string;
  /** Pulumi resource name (unique per type). */
  name: string;
  /** `urn:pulumi:<stage>::platform::<parent type>$<type>::<name>` (the mock monitor keeps only the direct parent). */
  urn: string;
  /** Inputs with every Output resolved. */
  inputs: Record<string, unknown>;
  /**
   * `type::name` of what it waits for. Under mocks: each explicit dependsOn (components stand for all their
   * children). From the language-host run: every dependency the engine orders by (explicit dependsOn with
   * components expanded to their resources, plus the resources whose outputs feed its inputs).
   */
  dependsOn: string[];
  /** `type::name` of the parent, if any. */
  parent?: string;
  // The fields below are filled by the language-host run (test/rehearsal/run-stage.ts), which sees the
  // RegisterResource request the engine receives; Pulumi mocks do not expose them.
  /** A resource a provider manages (true), or a component that only groups children (false). */
  custom?: boolean;
  /** A multi-language component its provider constructs (e.g. `kubernetes:yaml/v2:ConfigGroup`). */
  remote?: boolean;
  /** Looked up with `get` (ReadResource) rather than created. */
  read?: boolean;
  /** Explicit provider reference, `<provider urn>::<id>`. */
  provider?: string;
  /** Provider plugin version the SDK asked for. */
  version?: string;
  /** The same dependencies as URNs, as the engine receives them. */
  dependencies?: string[];
  /** Dotted input paths sent as secrets. */
  secretPaths?: string[];
  /** Dotted input paths still unknown at registration. */
  unknownPaths?: string[];
}

export interface MockedPlatform {
  config: StageConfig;
  resources: RegisteredResource[];
  outputs: { [K in keyof PlatformOutputs]: unknown };
}

export const resourceKey = (type: string, name: string) => `${type}::${name}`;

function settled<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((value) => resolve(value as T)));
}

/** `type::name` from a URN (`urn:pulumi:stack::project::parent$type::name`). */
function keyOfUrn(urn: string): string {
  const [, , typePath = '', ...name] = urn.split('::');
  return resourceKey(typePath.split('$').at(-1) ?? typePath, name.join('::'));
}

async function keysOf(
  dependsOn: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource> | undefined,
) {
  if (dependsOn === undefined) return [];
  const resolved = await settled(dependsOn as pulumi.Input<pulumi.Resource | pulumi.Resource[]>);
  const resources = (Array.isArray(resolved) ? resolved : [resolved]) as pulumi.Resource[];
  return Promise.all(resources.map(async (r) => keyOfUrn(await settled(r.urn))));
}

/**
 * Runs the platform program for a stage under Pulumi mocks and returns what it registered. Nothing is
 * deployed and no cluster is contacted. Mocks are process-wide: call this from one test file (process) at a time,
 * sequentially.
 */
export async function mockPlatform(
  stage: Stage,
  options: { config?: StageConfig; manifests?: ServiceManifestSource } = {},
): Promise<MockedPlatform> {
  const config = options.config ?? loadStageConfig(stage);
  const captured: Omit<RegisteredResource, 'urn' | 'dependsOn' | 'parent'>[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        captured.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    'platform',
    stage,
    false,
  );

  const created: { resource: pulumi.Resource; opts: pulumi.ResourceOptions }[] = [];
  const record: pulumi.ResourceTransformation = ({ resource, opts }) => {
    created.push({ resource, opts });
    return undefined;
  };
  const outputs = createPlatform(config, {
    manifests: options.manifests ?? serviceManifests,
    transformations: [record],
  });

  // Everything registered only once every URN has resolved; asserting earlier sees a partial program.
  const links = await Promise.all(
    created.map(async ({ resource, opts }) => ({
      urn: await settled(resource.urn),
      dependsOn: await keysOf(opts.dependsOn),
      parent: opts.parent ? keyOfUrn(await settled(opts.parent.urn)) : undefined,
    })),
  );
  const linkOf = new Map(links.map((link) => [keyOfUrn(link.urn), link]));
  const resolvedOutputs = Object.fromEntries(
    await Promise.all(Object.entries(outputs).map(async ([k, v]) => [k, await settled(v)] as const)),
  ) as MockedPlatform['outputs'];

  const resources = captured.map((r) => {
    const link = linkOf.get(resourceKey(r.type, r.name));
    if (!link) throw new Error(`${r.type} ${r.name} was registered outside the platform component`);
    return {
      ...r,
      urn: link.urn,
      dependsOn: link.dependsOn,
      ...(link.parent ? { parent: link.parent } : {}),
    };
  });
  return { config, resources, outputs: resolvedOutputs };
}

/** The resources a stage registers, as [{ type, name, inputs, dependsOn }] (for policy tests and stage:diff). */
export async function registeredResources(stage: Stage): Promise<RegisteredResource[]> {
  return (await mockPlatform(stage)).resources;
}
