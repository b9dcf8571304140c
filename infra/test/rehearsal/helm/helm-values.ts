/**
 * Helm's value coalescing, as `helm install` does it before validating and rendering: the chart's values.yaml
 * defaults, overridden key by key by the user's values; maps merge recursively, any other value replaces, and
 * a user value of `null` deletes the default key.
 * Encoded from helm/helm@v3.20.2 pkg/chartutil/coalesce.go (the Helm that @pulumi/kubernetes 4.34 embeds).
 */
export type Values = Record<string, unknown>;

export const isMap = (value: unknown): value is Values =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function coalesceValues(defaults: Values, user: Values): Values {
  const merged: Values = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) {
      delete merged[key];
    } else if (isMap(value) && isMap(merged[key])) {
      merged[key] = coalesceValues(merged[key] as Values, value);
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

/** `a.b.c` of a values tree, or undefined. */
export function valueAt(values: Values, path: string): unknown {
  let node: unknown = values;
  for (const key of path.split('.')) {
    if (!isMap(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Go template truthiness, as `{{ if }}` and `not` see a value. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}
