import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';
import { validateCelRules } from './cel-validation.js';
import { groupOf, isCustomResource, type KubeObject, kubeObjectsOf } from './custom-resource-objects.js';
import { normalizeForValidation } from './defaulting.js';
import { type FieldError, isBlocking, upstream } from './field-error.js';
import { validateListTypes } from './list-types.js';
import { validateEmbeddedResources, validateObjectMeta } from './object-meta.js';
import { loadSchemaFixtures, type SchemaIndex, schemaKey } from './schema-fixtures.js';
import type { CrdSchemaFixture } from './structural-schema.js';
import { unknownFieldPaths } from './unknown-fields.js';
import { validateValues } from './value-validation.js';

/**
 * What the API server does with a custom resource on create, per the pinned CRD's openAPIV3Schema, in its order
 * (kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/customresource_handler.go `unstructuredSchemaCoercer`,
 * then pkg/registry/customresource/strategy.go `Validate`):
 * 1. the kind must be served at that version;
 * 2. unknown fields: kubectl (`--validate=strict`, its default) gets them rejected; Pulumi's Kubernetes provider
 *    sends `fieldValidation=Warn` on server-side apply and nothing on create (the server default is Warn:
 *    k8s.io/apiserver pkg/endpoints/handlers/rest.go `fieldValidation`), so
 *    under `pulumi up` the API server prunes them with only a warning and the setting silently has no effect
 *    (pulumi/pulumi-kubernetes@v4.32.0 provider/pkg/await/await.go). Either way a finding;
 * 3. non-nullable nulls dropped, defaults applied;
 * 4. ObjectMeta, OpenAPI value validation, embedded resources, list types;
 * 5. `x-kubernetes-validations` (CEL), skipped like the API server does when 4 found a blocking error.
 */
export function validateCustomResource(
  object: KubeObject,
  schemas: SchemaIndex = defaultSchemas(),
): Finding[] {
  const subject = subjectOf(object);
  const fixture = schemas.get(schemaKey(object.apiVersion, object.kind));
  if (!fixture) return [unservedFinding(object, subject, schemas)];

  const schema = fixture.openAPIV3Schema;
  const errors: FieldError[] = unknownFieldPaths(object, schema).map((path) => ({
    type: 'FieldValueUnknown',
    path,
    message:
      'unknown field (kubectl: rejected under --validate=strict; pulumi up: pruned with a warning, the setting never reaches the cluster)',
    rule: upstream.pruning,
  }));
  const normalized = normalizeForValidation(object, schema);
  errors.push(
    ...validateObjectMeta(normalized.metadata, 'metadata', true),
    ...validateValues(normalized, schema),
    ...validateEmbeddedResources(normalized, schema),
    ...validateListTypes(normalized, schema),
  );
  if (errors.some(isBlocking)) {
    errors.push({
      type: 'FieldValueInvalid',
      path: '',
      message: 'some validation rules were not checked because the object was invalid',
      rule: 'kubernetes/apiextensions-apiserver@v0.33.1 pkg/registry/customresource/strategy.go (hasBlockingErr)',
    });
  } else {
    errors.push(...validateCelRules(normalized, schema));
  }
  return errors.map((error) => toFinding(error, subject, fixture));
}

/** Every custom resource among the objects, checked against the pinned CRDs; built-in kinds are skipped. */
export function checkCustomResources(
  objects: readonly KubeObject[],
  schemas: SchemaIndex = defaultSchemas(),
): Finding[] {
  return objects.filter(isCustomResource).flatMap((object) => validateCustomResource(object, schemas));
}

/** The custom resources a program registers (CustomResource inputs and ConfigGroup objects), checked. */
export function checkRegisteredCustomResources(
  resources: readonly RegisteredResource[],
  schemas: SchemaIndex = defaultSchemas(),
): Finding[] {
  return checkCustomResources(kubeObjectsOf(resources), schemas);
}

let loaded: SchemaIndex | undefined;
function defaultSchemas(): SchemaIndex {
  loaded ??= loadSchemaFixtures();
  return loaded;
}

function subjectOf(object: KubeObject): string {
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '(autonamed)';
  const namespace = typeof object.metadata?.namespace === 'string' ? `${object.metadata.namespace}/` : '';
  return `${object.apiVersion} ${object.kind} ${namespace}${name}`;
}

function toFinding(error: FieldError, subject: string, fixture: CrdSchemaFixture): Finding {
  return {
    subject,
    path: error.path,
    message: error.message,
    source: `${fixture.source}; rule: ${error.rule}`,
  };
}

function unservedFinding(object: KubeObject, subject: string, schemas: SchemaIndex): Finding {
  const group = groupOf(object.apiVersion);
  const served = [...schemas.values()]
    .filter((f) => groupOf(f.apiVersion) === group && f.kind === object.kind)
    .map((f) => f.apiVersion);
  if (served.length > 0) {
    return {
      subject,
      path: 'apiVersion',
      message: `the pinned CRD does not serve ${object.apiVersion} for ${object.kind} (served: ${served.join(', ')}): no matches for kind "${object.kind}" in version "${object.apiVersion}"`,
      source: `${schemas.get(schemaKey(served[0]!, object.kind))?.source}; rule: ${upstream.served}`,
    };
  }
  return {
    subject,
    path: 'kind',
    message: `no CRD schema fixture for ${object.apiVersion} ${object.kind}: add its CRD to infra/test/rehearsal/upstream/crd-sources.ts and run refresh.ts`,
    source: 'infra/test/rehearsal/upstream/crd-sources.ts',
  };
}
