import { child, describeValue, type FieldError, upstream } from './field-error.js';
import { isObject, type JsonObject } from './json-value.js';
import type { StructuralSchema } from './structural-schema.js';

/**
 * metadata of a custom resource, and of objects embedded with `x-kubernetes-embedded-resource`: the API server
 * decodes it as ObjectMeta (unknown fields are reported like any other, kubernetes/apiextensions-apiserver@v0.33.1
 * pkg/apiserver/schema/objectmeta/coerce.go `GetObjectMetaWithOptions`), checks the name as a DNS subdomain for
 * the resource itself (pkg/registry/customresource/validator.go, `NameIsDNSSubdomain`), and labels with
 * k8s.io/apimachinery pkg/api/validation/objectmeta.go. An embedded object needs apiVersion and kind
 * (objectmeta/validation.go `validateEmbeddedResource`).
 */
const objectMetaFields = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const invalid = (path: string, value: unknown, message: string): FieldError => ({
  type: 'FieldValueInvalid',
  path,
  message: `Invalid value: ${describeValue(value)}: ${message}`,
  rule: upstream.objectMeta,
});

function isQualifiedName(name: string): boolean {
  const parts = name.split('/');
  if (parts.length > 2) return false;
  const [prefix, local] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length > 253 || !dns1123Subdomain.test(prefix))) return false;
  return local !== undefined && local.length <= 63 && qualifiedNamePart.test(local);
}

/** Checks `metadata` at `path` (`metadata` for the resource, `<field>.metadata` when embedded). */
export function validateObjectMeta(metadata: unknown, path: string, root: boolean): FieldError[] {
  if (metadata === undefined) return [];
  if (!isObject(metadata)) return [invalid(path, metadata, 'must be an object')];
  const errors: FieldError[] = [];
  for (const field of Object.keys(metadata)) {
    if (!objectMetaFields.has(field)) {
      errors.push({
        type: 'FieldValueUnknown',
        path: child(path, field),
        message: 'unknown field',
        rule: upstream.objectMeta,
      });
    }
  }
  const { name, namespace, labels, annotations } = metadata as JsonObject;
  // Pulumi names a resource itself when metadata.name is absent (autonaming), so absence is not an error here.
  if (name !== undefined) {
    if (typeof name !== 'string') errors.push(invalid(child(path, 'name'), name, 'must be a string'));
    else if (root && (name.length > 253 || !dns1123Subdomain.test(name))) {
      errors.push(
        invalid(
          child(path, 'name'),
          name,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        ),
      );
    } else if (!root && (name.includes('/') || name.includes('%') || name === '.' || name === '..')) {
      errors.push(invalid(child(path, 'name'), name, "may not contain '/' or '%', nor be '.' or '..'"));
    }
  }
  if (
    namespace !== undefined &&
    (typeof namespace !== 'string' || !dns1123Label.test(namespace) || namespace.length > 63)
  ) {
    errors.push(
      invalid(
        child(path, 'namespace'),
        namespace,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'",
      ),
    );
  }
  if (labels !== undefined) {
    if (!isObject(labels)) errors.push(invalid(child(path, 'labels'), labels, 'must be a map of strings'));
    else {
      for (const [k, v] of Object.entries(labels)) {
        if (!isQualifiedName(k))
          errors.push(
            invalid(
              `${path}.labels`,
              k,
              "name part must consist of alphanumeric characters, '-', '_' or '.' (a qualified name)",
            ),
          );
        if (typeof v !== 'string' || v.length > 63 || !labelValue.test(v)) {
          errors.push(
            invalid(
              `${path}.labels[${k}]`,
              v,
              "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', at most 63 characters",
            ),
          );
        }
      }
    }
  }
  if (annotations !== undefined) {
    if (!isObject(annotations))
      errors.push(invalid(child(path, 'annotations'), annotations, 'must be a map of strings'));
    else {
      for (const [k, v] of Object.entries(annotations)) {
        if (!isQualifiedName(k.toLowerCase()))
          errors.push(invalid(`${path}.annotations`, k, 'must be a qualified name'));
        if (typeof v !== 'string') errors.push(invalid(`${path}.annotations[${k}]`, v, 'must be a string'));
      }
    }
  }
  return errors;
}

/** Every `x-kubernetes-embedded-resource` object inside the resource: apiVersion and kind set, metadata valid. */
export function validateEmbeddedResources(
  value: unknown,
  schema: StructuralSchema | undefined,
  path = '',
): FieldError[] {
  if (!schema) return [];
  const errors: FieldError[] = [];
  if (isObject(value)) {
    if (schema['x-kubernetes-embedded-resource'] && path !== '') {
      for (const field of ['apiVersion', 'kind']) {
        const v = value[field];
        if (v === undefined) {
          errors.push({
            type: 'FieldValueRequired',
            path: child(path, field),
            message: 'Required value: must not be empty',
            rule: upstream.objectMeta,
          });
        } else if (typeof v !== 'string' || v === '') {
          errors.push(invalid(child(path, field), v, 'must be a non-empty string'));
        }
      }
      errors.push(...validateObjectMeta(value.metadata, child(path, 'metadata'), false));
    }
    const additional =
      typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [k, v] of Object.entries(value)) {
      if (path === '' && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const property = schema.properties?.[k];
      if (property) errors.push(...validateEmbeddedResources(v, property, child(path, k)));
      else if (additional) errors.push(...validateEmbeddedResources(v, additional, `${path}[${k}]`));
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      errors.push(...validateEmbeddedResources(item, schema.items, `${path}[${i}]`));
    });
  }
  return errors;
}
