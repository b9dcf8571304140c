import { isKubeObject } from '../../src/model/kube-object.js';
import type { PulumiResource } from '../../src/sources/pulumi-resources.js';

const configGroup = 'kubernetes:yaml/v2:ConfigGroup';

/**
 * In a real `pulumi preview` the Kubernetes provider registers each object of a `yaml/v2:ConfigGroup` as a
 * child resource, and CrossGuard validates those children. Pulumi mocks never expand the group, so tests do
 * what the provider does: each object of `objs` becomes a child with a URN under the group's.
 */
export function expandConfigGroups(resources: readonly PulumiResource[]): PulumiResource[] {
  return resources.flatMap((resource) => {
    if (resource.type !== configGroup) return [resource];
    const objects = Array.isArray(resource.props.objs) ? resource.props.objs.filter(isKubeObject) : [];
    return objects.map((object) => {
      const [group, version] = object.apiVersion.includes('/')
        ? object.apiVersion.split('/')
        : ['core', object.apiVersion];
      const type = `kubernetes:${group}/${version}:${object.kind}`;
      const name = `${object.metadata?.namespace ?? 'default'}/${object.metadata?.name ?? resource.name}`;
      return { type, name, urn: childUrn(resource.urn, type, name), props: object };
    });
  });
}

/** `urn:pulumi:<stack>::<project>::<parent type path>$<type>::<name>`, as Pulumi names children. */
function childUrn(parent: string, type: string, name: string): string {
  const [stack, project, typePath] = parent.split('::');
  return `${stack}::${project}::${typePath}$${type}::${name}`;
}
