import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

/**
 * The Compose Specification's JSON schema (fixtures/compose-spec.json, draft-07), all errors reported. Its
 * `$schema` names the https draft-07 URI, which Ajv does not know by that spelling: the body is compiled as
 * draft-07, which Ajv is. Formats (`duration`) are left to the structure checks.
 */
const schema = JSON.parse(readFileSync(new URL('fixtures/compose-spec.json', import.meta.url), 'utf8'));
const { $schema: _draft, ...body } = schema;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(body);

export function schemaProblems(compose: unknown): string[] {
  if (validate(compose)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`,
  );
}
