/**
 * The parts of a CRD's openAPIV3Schema the API server acts on when a custom resource is created: a structural
 * schema (kubernetes/apiextensions-apiserver pkg/apiserver/schema/structural.go) with its value validations and
 * Kubernetes extensions.
 */
export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: boolean | StructuralSchema;
  items?: StructuralSchema;
  required?: string[];
  nullable?: boolean;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  oneOf?: StructuralSchema[];
  not?: StructuralSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: ValidationRule[];
}

/** One `x-kubernetes-validations` entry. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** One fixture file: a served version of a kind, as its pinned CRD declares it. */
export interface CrdSchemaFixture {
  /** `<group>/<version>` */
  apiVersion: string;
  kind: string;
  scope: 'Namespaced' | 'Cluster';
  storage: boolean;
  deprecated: boolean;
  /** `<repo>@<tag> <path>` the schema was taken from. */
  source: string;
  openAPIV3Schema: StructuralSchema;
}
