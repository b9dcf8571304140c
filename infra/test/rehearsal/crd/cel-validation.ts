import { evaluateRule } from './cel-rules.js';
import { child, type FieldError, index, key, upstream } from './field-error.js';
import { isObject } from './json-value.js';
import type { StructuralSchema } from './structural-schema.js';

/**
 * Runs every `x-kubernetes-validations` rule whose field is present, with `self` bound to that field's value typed
 * by its schema (integers as CEL int, numbers as double), as kubernetes/apiextensions-apiserver@v0.33.1
 * pkg/apiserver/schema/cel/validation.go does on create. Transition rules (those reading `oldSelf`) are not run on
 * create. `fieldPath` moves the error to the named field; the message is the rule's `messageExpression`,
 * `message` or "failed rule: <rule>", in that order.
 */
export function validateCelRules(
  value: unknown,
  schema: StructuralSchema | undefined,
  path = '',
): FieldError[] {
  if (!schema || value === undefined) return [];
  const errors: FieldError[] = [];
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const outcome = evaluateRule(rule, toCelValue(value, schema));
    const at = rule.fieldPath ? `${path}${rule.fieldPath}` : path;
    if (outcome.kind === 'failed') {
      errors.push({
        type: 'FieldValueInvalid',
        path: at,
        message: `Invalid value: ${outcome.message}`,
        rule: upstream.cel,
      });
    } else if (outcome.kind === 'errored') {
      errors.push({
        type: 'FieldValueInvalid',
        path: at,
        message: `Invalid value: rule ${JSON.stringify(rule.rule)} errored: ${outcome.message}`,
        rule: upstream.cel,
      });
    } else if (outcome.kind === 'not-evaluated') {
      errors.push({
        type: 'NotChecked',
        path: at,
        message: `CEL rule ${JSON.stringify(rule.rule)} not evaluated here (${outcome.message}): register the Kubernetes CEL function it needs in crd/cel-rules.ts`,
        rule: upstream.cel,
      });
    }
  }
  if (isObject(value)) {
    const additional =
      typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [k, v] of Object.entries(value)) {
      if (path === '' && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const property = schema.properties?.[k];
      if (property) errors.push(...validateCelRules(v, property, child(path, k)));
      else if (additional) errors.push(...validateCelRules(v, additional, key(path, k)));
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      errors.push(...validateCelRules(item, schema.items, index(path, i)));
    });
  }
  return errors;
}

/** A JSON value as CEL sees it: `integer` (and int-or-string numbers) become CEL int (bigint). */
export function toCelValue(value: unknown, schema: StructuralSchema | undefined): unknown {
  if (typeof value === 'number') {
    const asInt =
      schema?.type === 'integer' ||
      schema?.['x-kubernetes-int-or-string'] ||
      (!schema?.type && Number.isInteger(value));
    return asInt && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, schema?.items));
  if (isObject(value)) {
    const additional =
      typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, toCelValue(v, schema?.properties?.[k] ?? additional)]),
    );
  }
  return value;
}
