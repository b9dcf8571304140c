import { child, index } from './field-error.js';
import { isObject } from './json-value.js';
import type { StructuralSchema } from './structural-schema.js';

/**
 * Field paths the API server's pruning would drop: fields the structural schema does not declare, outside
 * `x-kubernetes-preserve-unknown-fields` subtrees; apiVersion, kind and metadata are skipped at the root and in
 * `x-kubernetes-embedded-resource` objects (they are checked as ObjectMeta instead).
 * Encodes kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/pruning/algorithm.go (`prune`,
 * `skipPrune`; paths joined as options.go `AppendKey` does, map keys with a dot too), with the root treated as an embedded resource as `PruneWithOptions(..., isResourceRoot=true)` does.
 */
export function unknownFieldPaths(object: unknown, schema: StructuralSchema): string[] {
  const paths: string[] = [];
  prune(object, { ...schema, 'x-kubernetes-embedded-resource': true }, '', paths);
  return paths.sort();
}

const metaFields = new Set(['apiVersion', 'kind', 'metadata']);

const mapValueSchema = (s: StructuralSchema) =>
  typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;

function prune(value: unknown, schema: StructuralSchema | undefined, path: string, paths: string[]): void {
  if (schema?.['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(value, schema, path, paths);
    return;
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (schema?.['x-kubernetes-embedded-resource'] && metaFields.has(k)) continue;
      const property = schema?.properties?.[k];
      const additional = schema ? mapValueSchema(schema) : undefined;
      if (property) prune(v, property, child(path, k), paths);
      else if (additional) prune(v, additional, child(path, k), paths);
      // An additionalProperties map with no declared value schema does not exist in structural schemas.
      else paths.push(child(path, k));
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      prune(item, schema?.items, index(path, i), paths);
    });
  }
}

function skipPrune(value: unknown, schema: StructuralSchema, path: string, paths: string[]): void {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (schema['x-kubernetes-embedded-resource'] && metaFields.has(k)) continue;
      const property = schema.properties?.[k];
      const additional = mapValueSchema(schema);
      if (property) prune(v, property, child(path, k), paths);
      else if (additional) prune(v, additional, child(path, k), paths);
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      skipPrune(item, items, index(path, i), paths);
    });
  }
}
