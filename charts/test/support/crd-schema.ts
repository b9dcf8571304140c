import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

/** A CRD version's schema as stored under fixtures/ (one JSON file per served group/version/kind). */
interface CrdVersionFixture {
  group: string;
  version: string;
  kind: string;
  served: boolean;
  openAPIV3Schema: Record<string, unknown>;
}

type SchemaNode = Record<string, unknown>;

/**
 * What the API server does with a field the schema does not name: prunes it silently, or, with strict field
 * validation (kubectl's default since 1.27, and server-side apply), refuses it. Either way the field never takes
 * effect, so here every object schema that lists its properties and neither preserves unknown fields nor
 * declares additionalProperties is closed.
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (typeof node !== 'object' || node === null) return node;
  const copy: SchemaNode = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      // `properties` maps field names to schemas: its own keys are names, not keywords.
      key === 'properties' && typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, closeObjects(schema)]))
        : closeObjects(value),
    ]),
  );
  const open = copy['x-kubernetes-preserve-unknown-fields'] === true;
  if (copy.properties !== undefined && copy.additionalProperties === undefined && !open) {
    copy.additionalProperties = false;
  }
  return copy;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** A validator for one CRD fixture file: the object's whole body against the version's openAPIV3Schema. */
export function crdValidator(fixturePath: string): { key: string; validate: ValidateFunction } {
  const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as CrdVersionFixture;
  if (!fixture.served) throw new Error(`${fixturePath}: ${fixture.version} is not served`);
  return {
    key: `${fixture.group}/${fixture.version}/${fixture.kind}`,
    validate: ajv.compile(closeObjects(fixture.openAPIV3Schema) as SchemaNode),
  };
}

/** Throws with every schema error's path, as the API server lists them. */
export function assertValid(validate: ValidateFunction, object: unknown, name: string): void {
  if (validate(object)) return;
  const errors = (validate.errors ?? []).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (unknown field "${(e.params as { additionalProperty: string }).additionalProperty}")`
        : '';
    return `${e.instancePath || '/'} ${e.message}${extra}`;
  });
  throw new Error(`${name}: ${errors.join('; ')}`);
}
