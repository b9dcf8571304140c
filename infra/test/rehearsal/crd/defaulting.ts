import { isObject, type JsonObject } from './json-value.js';
import type { StructuralSchema } from './structural-schema.js';

/**
 * What the API server does to a decoded custom resource before validating it: drops null fields that are
 * neither nullable nor defaulted, then applies schema defaults (deep copies) to absent fields and to
 * non-nullable nulls. Encodes kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/defaulting/
 * prunenulls.go (`PruneNonNullableNullsWithoutDefaults`) and algorithm.go (`Default`). Returns a new object.
 */
export function normalizeForValidation(object: JsonObject, schema: StructuralSchema): JsonObject {
  const copy = structuredClone(object);
  pruneNulls(copy, schema);
  applyDefaults(copy, schema);
  return copy;
}

const fieldSchema = (s: StructuralSchema | undefined, field: string) =>
  s?.properties?.[field] ??
  (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);

function pruneNulls(value: unknown, schema: StructuralSchema | undefined): void {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const s = fieldSchema(schema, k);
      if (v === null && s && !s.nullable && s.default === undefined) delete value[k];
      else pruneNulls(v, s);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) pruneNulls(item, schema?.items);
  }
}

const nonNullableNull = (value: unknown, s: StructuralSchema | undefined) =>
  value === null && s && !s.nullable;

function applyDefaults(value: unknown, schema: StructuralSchema | undefined): void {
  if (!schema) return;
  if (isObject(value)) {
    for (const [k, property] of Object.entries(schema.properties ?? {})) {
      if (property.default === undefined) continue;
      if (!(k in value) || nonNullableNull(value[k], property)) value[k] = structuredClone(property.default);
    }
    const additional =
      typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const k of Object.keys(value)) {
      const property = schema.properties?.[k];
      if (property) applyDefaults(value[k], property);
      else if (additional) {
        if (nonNullableNull(value[k], additional) && additional.default !== undefined) {
          value[k] = structuredClone(additional.default);
        }
        applyDefaults(value[k], additional);
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (nonNullableNull(item, schema.items) && schema.items?.default !== undefined) {
        value[i] = structuredClone(schema.items.default);
      }
      applyDefaults(value[i], schema.items);
    });
  }
}
