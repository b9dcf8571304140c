import type { RegisteredResource } from '../../../src/testing/index.js';

const keyOf = (r: Pick<RegisteredResource, 'type' | 'name'>) => `${r.type}::${r.name}`;

/**
 * What the engine finishes before it creates a resource: its explicit dependsOn, transitively, where depending
 * on a component means depending on every resource beneath it (Pulumi expands a component dependency to its
 * children). A child does not inherit its parent's dependsOn.
 */
export function awaitedBefore(resources: readonly RegisteredResource[]) {
  const byKey = new Map(resources.map((r) => [keyOf(r), r]));
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), keyOf(r)]);
  }
  const beneath = (key: string): string[] =>
    (children.get(key) ?? []).flatMap((child) => [child, ...beneath(child)]);

  return (resource: RegisteredResource): RegisteredResource[] => {
    const seen = new Set<string>();
    const pending = [...resource.dependsOn];
    while (pending.length > 0) {
      const key = pending.pop() as string;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const expanded of [key, ...beneath(key)]) {
        seen.add(expanded);
        pending.push(...(byKey.get(expanded)?.dependsOn ?? []));
      }
    }
    return [...seen].flatMap((key) => byKey.get(key) ?? []);
  };
}
