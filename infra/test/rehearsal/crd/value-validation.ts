import { child, describeValue, type FieldError, index, key, upstream } from './field-error.js';
import { checkFormat } from './formats.js';
import { deepEqual, isObject, jsonType } from './json-value.js';
import type { StructuralSchema } from './structural-schema.js';

/**
 * OpenAPI value validation of a custom resource against its structural schema, as the API server runs it
 * (kube-openapi pkg/validation/validate: type.go, object_validator.go, slice_validator.go, string/number
 * validators in validator.go, schema_props.go for allOf/anyOf/oneOf/not; wired in
 * kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/validation/validation.go). Kubernetes extensions:
 * `nullable` admits null, `x-kubernetes-int-or-string` admits an integer or a string where no type is given,
 * `x-kubernetes-preserve-unknown-fields` without a type admits anything. The root's apiVersion, kind and metadata
 * are ObjectMeta's business (object-meta.ts).
 */
export function validateValues(object: Record<string, unknown>, schema: StructuralSchema): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(object)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    const property = schema.properties?.[k];
    if (property) validate(v, property, k, errors);
  }
  for (const name of schema.required ?? []) {
    if (!(name in object)) errors.push(required(name));
  }
  return errors;
}

const required = (path: string): FieldError => ({
  type: 'FieldValueRequired',
  path,
  message: 'Required value',
  rule: upstream.values,
});

function typeAllows(schema: StructuralSchema, value: unknown): boolean {
  const actual = jsonType(value);
  if (actual === 'null') return schema.nullable === true;
  if (schema.type) return schema.type === actual || (schema.type === 'number' && actual === 'integer');
  if (schema['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  return true; // no type: x-kubernetes-preserve-unknown-fields, or a value-validation-only subschema
}

function expectedType(schema: StructuralSchema): string {
  if (schema.type) return schema.type;
  return schema['x-kubernetes-int-or-string'] ? 'integer or string' : 'any';
}

function validate(value: unknown, schema: StructuralSchema, path: string, errors: FieldError[]): void {
  if (!typeAllows(schema, value)) {
    errors.push({
      type: 'FieldValueTypeInvalid',
      path,
      message: `Invalid value: ${describeValue(value)}: must be of type ${expectedType(schema)}`,
      rule: upstream.values,
    });
    return;
  }
  if (value === null) return;

  if (schema.enum && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
    errors.push({
      type: 'FieldValueNotSupported',
      path,
      message: `Unsupported value: ${describeValue(value)}: supported values: ${schema.enum.map(describeValue).join(', ')}`,
      rule: upstream.values,
    });
  }
  if (typeof value === 'string') validateString(value, schema, path, errors);
  if (typeof value === 'number') validateNumber(value, schema, path, errors);
  if (Array.isArray(value)) validateArray(value, schema, path, errors);
  if (isObject(value)) validateObject(value, schema, path, errors);
  validateComposition(value, schema, path, errors);
}

const patterns = new Map<string, RegExp | null>();

/** Go RE2 syntax into a JavaScript RegExp: a leading `(?i)` becomes the `i` flag; `\z` is the end of text. */
function goRegExp(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    const insensitive = pattern.startsWith('(?i)');
    const body = (insensitive ? pattern.slice(4) : pattern).replaceAll('\\z', '$');
    let compiled: RegExp | null = null;
    for (const flags of ['u', '']) {
      try {
        compiled = new RegExp(body, flags + (insensitive ? 'i' : ''));
        break;
      } catch {
        // retried without the `u` flag, whose escapes are stricter than Go's
      }
    }
    patterns.set(pattern, compiled);
  }
  return patterns.get(pattern) ?? null;
}

function validateString(value: string, schema: StructuralSchema, path: string, errors: FieldError[]): void {
  const length = [...value].length; // Go counts runes (utf8.RuneCountInString)
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    errors.push({
      type: 'FieldValueTooLong',
      path,
      message: `Too long: may not be more than ${schema.maxLength} bytes`,
      rule: upstream.values,
    });
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    errors.push({
      type: 'FieldValueInvalid',
      path,
      message: `Invalid value: ${describeValue(value)}: should be at least ${schema.minLength} chars long`,
      rule: upstream.values,
    });
  }
  if (schema.pattern !== undefined) {
    const regexp = goRegExp(schema.pattern);
    if (!regexp) {
      errors.push({
        type: 'NotChecked',
        path,
        message: `pattern '${schema.pattern}' is not expressible here as a JavaScript RegExp: not checked`,
        rule: upstream.values,
      });
    } else if (!regexp.test(value)) {
      errors.push({
        type: 'FieldValueInvalid',
        path,
        message: `Invalid value: ${describeValue(value)}: should match '${schema.pattern}'`,
        rule: upstream.values,
      });
    }
  }
  if (schema.format !== undefined) {
    const outcome = checkFormat(schema.format, value);
    if (outcome === 'invalid' || outcome === 'not-checked') {
      errors.push({
        type: outcome === 'invalid' ? 'FieldValueInvalid' : 'NotChecked',
        path,
        message:
          outcome === 'invalid'
            ? `Invalid value: ${describeValue(value)}: must be of format ${schema.format}`
            : `format ${schema.format} is checked by the API server but not encoded here`,
        rule: upstream.formats,
      });
    }
  }
}

function validateNumber(value: number, schema: StructuralSchema, path: string, errors: FieldError[]): void {
  const invalid = (message: string) =>
    errors.push({
      type: 'FieldValueInvalid',
      path,
      message: `Invalid value: ${value}: ${message}`,
      rule: upstream.values,
    });
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum) {
      invalid(`should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`);
    }
  }
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum) {
      invalid(`should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`);
    }
  }
  if (schema.multipleOf !== undefined && !Number.isInteger(value / schema.multipleOf)) {
    invalid(`should be a multiple of ${schema.multipleOf}`);
  }
}

function validateArray(value: unknown[], schema: StructuralSchema, path: string, errors: FieldError[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push({
      type: 'FieldValueTooMany',
      path,
      message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
      rule: upstream.values,
    });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push({
      type: 'FieldValueInvalid',
      path,
      message: `Invalid value: ${value.length}: should have at least ${schema.minItems} items`,
      rule: upstream.values,
    });
  }
  if (
    schema.uniqueItems &&
    value.some((item, i) => value.findIndex((other) => deepEqual(item, other)) !== i)
  ) {
    errors.push({
      type: 'FieldValueInvalid',
      path,
      message: 'shall not contain duplicates',
      rule: upstream.values,
    });
  }
  const items = schema.items;
  if (items) {
    value.forEach((item, i) => {
      validate(item, items, index(path, i), errors);
    });
  }
}

function validateObject(
  value: Record<string, unknown>,
  schema: StructuralSchema,
  path: string,
  errors: FieldError[],
): void {
  for (const name of schema.required ?? []) {
    if (!(name in value)) errors.push(required(child(path, name)));
  }
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    errors.push({
      type: 'FieldValueTooMany',
      path,
      message: `Too many: ${count}: must have at most ${schema.maxProperties} items`,
      rule: upstream.values,
    });
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    errors.push({
      type: 'FieldValueInvalid',
      path,
      message: `Invalid value: ${count}: should have at least ${schema.minProperties} properties`,
      rule: upstream.values,
    });
  }
  const additional =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const embedded = schema['x-kubernetes-embedded-resource'];
  for (const [k, v] of Object.entries(value)) {
    if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    const property = schema.properties?.[k];
    if (property) validate(v, property, child(path, k), errors);
    else if (additional) validate(v, additional, key(path, k), errors);
  }
}

/** allOf/anyOf/oneOf/not: value validations only (structural schemas forbid types and defaults inside them). */
function validateComposition(
  value: unknown,
  schema: StructuralSchema,
  path: string,
  errors: FieldError[],
): void {
  const matches = (sub: StructuralSchema) => {
    const found: FieldError[] = [];
    validate(value, sub, path, found);
    return found.filter((e) => e.type !== 'NotChecked').length === 0;
  };
  for (const sub of schema.allOf ?? []) validate(value, sub, path, errors);
  if (schema.anyOf && !schema.anyOf.some(matches)) {
    errors.push({
      type: 'FieldValueInvalid',
      path,
      message: `Invalid value: ${describeValue(value)}: must validate at least one schema (anyOf)`,
      rule: upstream.values,
    });
  }
  if (schema.oneOf && schema.oneOf.filter(matches).length !== 1) {
    errors.push({
      type: 'FieldValueInvalid',
      path,
      message: `Invalid value: ${describeValue(value)}: must validate one and only one schema (oneOf)`,
      rule: upstream.values,
    });
  }
  if (schema.not && matches(schema.not)) {
    errors.push({
      type: 'FieldValueInvalid',
      path,
      message: `Invalid value: ${describeValue(value)}: must not validate the schema (not)`,
      rule: upstream.values,
    });
  }
}
