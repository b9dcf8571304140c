import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CrdSource, crdSources } from '../upstream/crd-sources.js';
import type { CrdSchemaFixture } from './structural-schema.js';

const upstreamDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'upstream');

/** The pinned CRDs' schemas, keyed `<group>/<version> <Kind>`. */
export type SchemaIndex = ReadonlyMap<string, CrdSchemaFixture>;

export const schemaKey = (apiVersion: string, kind: string) => `${apiVersion} ${kind}`;

/**
 * Reads the fixture folders of the pinned versions (upstream/crd-sources.ts). A folder missing for a pinned
 * version means a pin was bumped without running upstream/refresh.ts: that is an error, not an empty index.
 */
export function loadSchemaFixtures(sources: readonly CrdSource[] = crdSources): SchemaIndex {
  const index = new Map<string, CrdSchemaFixture>();
  for (const source of sources) {
    const folder = join(upstreamDir, source.folder);
    if (!existsSync(folder)) {
      throw new Error(`upstream/${source.folder} is missing: run infra/test/rehearsal/upstream/refresh.ts`);
    }
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      const fixture = JSON.parse(readFileSync(join(folder, file), 'utf8')) as CrdSchemaFixture;
      index.set(schemaKey(fixture.apiVersion, fixture.kind), fixture);
    }
  }
  return index;
}
