/**
 * A validation error as the API server reports it (k8s.io/apimachinery pkg/util/validation/field errors.go):
 * its type decides whether CEL rules still run (`hasBlockingErr` in kubernetes/apiextensions-apiserver@v0.33.1
 * pkg/registry/customresource/strategy.go).
 */
export type FieldErrorType =
  | 'FieldValueTypeInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueInvalid'
  | 'FieldValueUnknown'
  | 'NotChecked';

export interface FieldError {
  type: FieldErrorType;
  path: string;
  message: string;
  /** The upstream file whose rule produced it. */
  rule: string;
}

const blocking = new Set<FieldErrorType>([
  'FieldValueTypeInvalid',
  'FieldValueRequired',
  'FieldValueNotSupported',
  'FieldValueTooLong',
  'FieldValueTooMany',
]);

/** Errors after which the API server skips x-kubernetes-validations ("some validation rules were not checked"). */
export const isBlocking = (error: FieldError) => blocking.has(error.type);

/** field.Path rendering: `.name` for properties, `[key]` for map keys, `[i]` for list items. */
export const child = (path: string, name: string) => (path === '' ? name : `${path}.${name}`);
export const key = (path: string, name: string) => `${path}[${name}]`;
export const index = (path: string, i: number) => `${path}[${i}]`;

/** How the API server quotes a bad value in a message (Go `%#v`-like, short). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? '"array"' : '"object"';
}

export const upstream = {
  pruning: 'kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/pruning/algorithm.go',
  nulls: 'kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/defaulting/prunenulls.go',
  defaulting: 'kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/defaulting/algorithm.go',
  values:
    'kubernetes/kube-openapi pkg/validation/validate (via apiextensions-apiserver@v0.33.1 pkg/apiserver/validation/validation.go)',
  formats:
    'kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/validation/formats.go; kube-openapi pkg/validation/strfmt',
  objectMeta:
    'kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/objectmeta (validation.go, coerce.go)',
  listTypes: 'kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/listtype/validation.go',
  cel: 'kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/cel/validation.go',
  served:
    'kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/customresource_handler.go (hasServedCRDVersion)',
} as const;
