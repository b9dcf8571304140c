/**
 * The image digest a rollback returns to: the one deployed before the stage's current one, read from the stack's
 * update history (`pulumi stack history --json`, newest first). Each deploy passes its digest as
 * `--config app:imageDigest=...` (deploy.yml), which the update records in its config, and names it in its
 * message. Plain Node (type stripping), so the rollback job needs no `npm ci`:
 *
 *   pulumi stack history --json --stack <org>/platform/<stage> | node --experimental-strip-types previous-digest.ts
 *
 * The history fields read here are the ones pulumi/pulumi documents as stable (updateInfoJSON in
 * pkg/cmd/pulumi/stack/stack_history.go: "we should not change existing fields").
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface StackUpdate {
  version: number;
  kind: string;
  message?: string;
  result?: string;
  config?: Record<string, { value?: string; secret?: boolean }>;
}

const digestPattern = /sha256:[a-f0-9]{64}/;

function digestOf(update: StackUpdate): string | undefined {
  const configured = update.config?.['app:imageDigest']?.value;
  if (configured && digestPattern.test(configured)) return configured;
  return digestPattern.exec(update.message ?? '')?.[0];
}

/** The digests of the stage's successful deploys, newest first. */
export function deployedDigests(history: StackUpdate[]): string[] {
  return [...history]
    .filter((update) => update.kind === 'update' && update.result === 'succeeded')
    .sort((a, b) => b.version - a.version)
    .map(digestOf)
    .filter((digest): digest is string => digest !== undefined);
}

/** The last digest deployed that differs from the one running now; undefined when there is none. */
export function previousDigest(history: StackUpdate[]): string | undefined {
  const [current, ...earlier] = deployedDigests(history);
  return earlier.find((digest) => digest !== current);
}

function main() {
  const digest = previousDigest(JSON.parse(readFileSync(0, 'utf8')) as StackUpdate[]);
  if (!digest) {
    console.error('no earlier deployed digest in this stack history: name the digest to roll back to');
    process.exit(1);
  }
  console.log(digest);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
