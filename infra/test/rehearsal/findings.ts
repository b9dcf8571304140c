/**
 * What every rehearsal check returns: one finding per thing the real tool would reject, with the rule's
 * upstream source so a reader can check the encoding against the pinned version.
 */
export interface Finding {
  /** The object or release, e.g. `Release istio-ingress` or `networking.istio.io/v1 VirtualService platform-api/platform-api`. */
  subject: string;
  /** Field path inside it, e.g. `spec.http[0].retries`. */
  path: string;
  message: string;
  /** Where the rule comes from: `<project>@<version> <file>` of the pinned release. */
  source: string;
}

/** Renders findings the way a failing assertion should show them: one line each. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.subject} ${f.path}: ${f.message} [${f.source}]`).join('\n');
}
