import { describe, type KubeObject } from '../model/kube-object.js';
import type { Rule } from '../model/rule.js';
import type { Finding } from './evaluate.js';

export interface ReportInput {
  /** What was checked, e.g. `dev (charts/dist/dev)`. */
  title: string;
  rules: readonly Rule[];
  objectCount: number;
  findings: readonly Finding[];
  /** Where an object came from (a file name), when known. */
  locate: (object: KubeObject) => string | undefined;
}

/** A plain-text report meant for a CI log: one block per failing rule, what to fix, and a summary line. */
export function formatReport({ title, rules, objectCount, findings, locate }: ReportInput): string {
  const lines = [`policy check: ${title}: ${objectCount} objects, ${rules.length} rules`];
  for (const rule of rules) {
    const own = findings.filter((finding) => finding.rule === rule);
    if (own.length === 0) {
      lines.push(`  PASS ${rule.name}`);
      continue;
    }
    lines.push(`  FAIL ${rule.name} [${rule.severity}] ${rule.description}`);
    for (const [object, messages] of groupByObject(own)) {
      const where = locate(object);
      lines.push(`       ${describe(object)}${where ? ` (${where})` : ''}`);
      for (const message of messages) lines.push(`         - ${message}`);
    }
    lines.push(`       fix: ${rule.remediation}`);
  }
  const failed = new Set(findings.map((finding) => finding.rule)).size;
  lines.push(
    findings.length === 0
      ? `  result: all ${rules.length} rules pass`
      : `  result: ${findings.length} violation(s) of ${failed} rule(s)`,
  );
  return lines.join('\n');
}

function groupByObject(findings: readonly Finding[]): Map<KubeObject, string[]> {
  const groups = new Map<KubeObject, string[]>();
  for (const { object, message } of findings) groups.set(object, [...(groups.get(object) ?? []), message]);
  return groups;
}
