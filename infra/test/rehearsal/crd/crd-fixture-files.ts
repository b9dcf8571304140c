import { parseAllDocuments } from 'yaml';
import type { CrdSchemaFixture, StructuralSchema } from './structural-schema.js';

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  schema?: { openAPIV3Schema?: StructuralSchema };
}

interface Crd {
  kind: string;
  spec: { group: string; scope: 'Namespaced' | 'Cluster'; names: { kind: string }; versions: CrdVersion[] };
}

/** Whole-line Helm directives (`{{- if .Values.crds.create }}`) that charts wrap around their CRD files. */
const stripHelmGuards = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .join('\n');

/** `<group>_<version>_<Kind>.json`: the fixture file of one served version of a kind. */
export const fixtureFileName = (group: string, version: string, kind: string) =>
  `${group}_${version}_${kind}.json`;

/**
 * Turns upstream CRD manifests (each with its `<repo>@<tag> <path>`) into fixture files: for each wanted kind, one JSON file per served version with
 * that version's full openAPIV3Schema. Throws when a wanted kind is missing, so a refresh never drops one.
 */
export function crdFixtureFiles(
  manifests: readonly { text: string; source: string }[],
  kinds: readonly string[],
): Record<string, string> {
  const files: Record<string, string> = {};
  const found = new Set<string>();
  for (const { text, source } of manifests) {
    for (const doc of parseAllDocuments(stripHelmGuards(text))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !kinds.includes(crd.spec.names.kind)) continue;
      found.add(crd.spec.names.kind);
      for (const version of crd.spec.versions.filter((v) => v.served)) {
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) throw new Error(`${crd.spec.names.kind} ${version.name} has no openAPIV3Schema`);
        const fixture: CrdSchemaFixture = {
          apiVersion: `${crd.spec.group}/${version.name}`,
          kind: crd.spec.names.kind,
          scope: crd.spec.scope,
          storage: version.storage,
          deprecated: version.deprecated ?? false,
          source,
          openAPIV3Schema: schema,
        };
        files[fixtureFileName(crd.spec.group, version.name, crd.spec.names.kind)] =
          `${JSON.stringify(fixture, null, 1)}\n`;
      }
    }
  }
  const missing = kinds.filter((kind) => !found.has(kind));
  if (missing.length > 0) {
    throw new Error(`${manifests.map((m) => m.source).join(', ')}: no CRD for ${missing.join(', ')}`);
  }
  return files;
}
