import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Values } from './helm-values.js';

/**
 * A chart's values.schema.json applied the way Helm applies it: to the coalesced values (defaults + user), all
 * errors reported. Helm 3.20 compiles the schema with santhosh-tekuri/jsonschema v6
 * (helm/helm@v3.20.2 pkg/chartutil/jsonschema.go), which reads `$schema`: draft-07 schemas as draft-07, and
 * `http://json-schema.org/schema#` (no draft named) as the latest draft, 2020-12. Formats are annotations there,
 * so they are here too.
 */
const options = { strict: false, allErrors: true, validateFormats: false } as const;
const draft07 = new Ajv(options);
const draft2020 = new Ajv2020(options);

const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

function validatorFor(schema: Record<string, unknown>) {
  const known = compiled.get(schema);
  if (known) return known;
  const { $schema, ...body } = schema;
  const ajv = typeof $schema === 'string' && $schema.includes('draft-07') ? draft07 : draft2020;
  const validate = ajv.compile(body);
  compiled.set(schema, validate);
  return validate;
}

export interface SchemaProblem {
  path: string;
  message: string;
}

export function validateValues(schema: Record<string, unknown>, values: Values): SchemaProblem[] {
  const validate = validatorFor(schema);
  if (validate(values)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => ({
    path: `values${error.instancePath.replaceAll('/', '.')}`,
    message: describe(error),
  }));
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return `additional property '${(error.params as { additionalProperty: string }).additionalProperty}' not allowed`;
  }
  if (error.keyword === 'enum') {
    return `${error.message}: ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
  }
  return error.message ?? error.keyword;
}
