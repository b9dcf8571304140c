import type { Finding } from '../findings.js';

/**
 * The Helm and image checks keep their encoded rules in tables keyed by the fixture folder (`<chart>@<version>`)
 * of the chart version each rule was read from, and look a release's rules up by its fixture's folder. A key
 * that names no fixture (the pin moved and its fixture was refreshed into a new folder, the table was not)
 * turns its rules off without a word: the rehearsal keeps passing while checking nothing. When the Istio pin
 * moved, the kind NodePort rule went quiet exactly this way. Every key must name a fixture folder.
 */
export function staleRuleTableKeys(
  tables: Readonly<Record<string, readonly string[]>>,
  fixtureFolders: readonly string[],
): Finding[] {
  return Object.entries(tables).flatMap(([table, keys]) =>
    [...new Set(keys)]
      .filter((key) => !fixtureFolders.includes(key))
      .map((key) => ({
        subject: `rule table ${table}`,
        path: key,
        message: `names chart ${key}, which no fixture under upstream/ holds: its rules never run (re-read them at the pinned version and rename the key)`,
        source: 'infra/test/rehearsal/helm/chart-fixtures.ts (the chart versions the rehearsal knows)',
      })),
  );
}
