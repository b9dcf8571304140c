import { readFileSync } from 'node:fs';

/**
 * The Vault values docs/secrets.md documents per stage (the JSON block after its `vault-values` marker, the
 * seed `npm run keys:generate` prints, with placeholders for generated values).
 */
export function documentedSeed(markdown: string): Record<string, Record<string, string>> {
  const block = /<!-- vault-values:[^>]*-->\s*```json\n([\s\S]*?)\n```/.exec(markdown);
  if (!block?.[1]) return {};
  return JSON.parse(block[1]) as Record<string, Record<string, string>>;
}

export function readDocumentedSeed(): Record<string, Record<string, string>> {
  return documentedSeed(readFileSync(new URL('../../../../docs/secrets.md', import.meta.url), 'utf8'));
}
