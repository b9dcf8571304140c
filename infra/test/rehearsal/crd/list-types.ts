import { child, type FieldError, index, key, upstream } from './field-error.js';
import { deepEqual, isObject } from './json-value.js';
import type { StructuralSchema } from './structural-schema.js';

/**
 * `x-kubernetes-list-type: set` lists hold no duplicates and `map` lists no two items with the same
 * `x-kubernetes-list-map-keys` values (encodes kubernetes/apiextensions-apiserver@v0.33.1
 * pkg/apiserver/schema/listtype/validation.go). A missing key field counts as its default or as unspecified.
 */
export function validateListTypes(
  value: unknown,
  schema: StructuralSchema | undefined,
  path = '',
): FieldError[] {
  if (!schema) return [];
  const errors: FieldError[] = [];
  if (Array.isArray(value)) {
    if (schema['x-kubernetes-list-type'] === 'set') errors.push(...duplicates(value, path, (item) => item));
    if (schema['x-kubernetes-list-type'] === 'map') {
      const keys = schema['x-kubernetes-list-map-keys'] ?? [];
      const keyOf = (item: unknown) =>
        keys.map((k) => (isObject(item) && k in item ? item[k] : schema.items?.properties?.[k]?.default));
      errors.push(...duplicates(value, path, keyOf));
    }
    value.forEach((item, i) => {
      errors.push(...validateListTypes(item, schema.items, index(path, i)));
    });
  } else if (isObject(value)) {
    const additional =
      typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [k, v] of Object.entries(value)) {
      const property = schema.properties?.[k];
      if (property) errors.push(...validateListTypes(v, property, child(path, k)));
      else if (additional) errors.push(...validateListTypes(v, additional, key(path, k)));
    }
  }
  return errors;
}

function duplicates(list: unknown[], path: string, identity: (item: unknown) => unknown): FieldError[] {
  return list.flatMap((item, i) => {
    const first = list.findIndex((other) => deepEqual(identity(other), identity(item)));
    if (first === i) return [];
    return [
      {
        type: 'FieldValueInvalid' as const,
        path: index(path, i),
        message: `Duplicate value: ${JSON.stringify(identity(item))}`,
        rule: upstream.listTypes,
      },
    ];
  });
}
