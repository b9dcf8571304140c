/** One leaf (or whole subtree) that differs between two values. */
export interface Difference {
  path: string;
  left: unknown;
  right: unknown;
}

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Arrays of Kubernetes objects or named entries are compared by identity (`Deployment/platform-api`,
 * `pgbouncer`), not by position, so an insertion does not show up as every later element changing.
 */
function keyed(items: readonly unknown[]): Tree {
  const keyOf = (item: unknown, index: number): string => {
    if (isTree(item) && typeof item.kind === 'string' && isTree(item.metadata)) {
      return `${item.kind}/${String(item.metadata.name)}`;
    }
    if (isTree(item) && typeof item.name === 'string') return item.name;
    return String(index);
  };
  const keys = items.map(keyOf);
  const unique = new Set(keys).size === keys.length;
  return Object.fromEntries(items.map((item, i) => [unique ? keys[i] : String(i), item]));
}

function join(path: string, key: string, fromArray: boolean): string {
  if (fromArray) return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Differences between two JSON-like values; a subtree present on one side only is one difference. */
export function diffTrees(left: unknown, right: unknown, path = ''): Difference[] {
  if (Array.isArray(left) && Array.isArray(right)) return diffChildren(keyed(left), keyed(right), path, true);
  if (isTree(left) && isTree(right)) return diffChildren(left, right, path, false);
  return JSON.stringify(left) === JSON.stringify(right) ? [] : [{ path, left, right }];
}

function diffChildren(left: Tree, right: Tree, path: string, fromArray: boolean): Difference[] {
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys.flatMap((key) => diffTrees(left[key], right[key], join(path, key, fromArray)));
}
