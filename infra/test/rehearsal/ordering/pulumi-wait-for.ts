/**
 * How @pulumi/kubernetes reads the `pulumi.com/waitFor` annotation before it reports a resource created
 * (pulumi/pulumi-kubernetes provider/pkg/metadata/overrides.go, ReadyCondition; provider/pkg/await/condition/
 * custom.go and kubectl.go; the form is unchanged from v4.18, where it appeared, to the 4.34 this repo pins):
 * a JSON array of expressions or one expression; `condition=<type>[=<status>]` (status defaults to True; the
 * type is compared case-insensitively) or `jsonpath={<path>}[=<value>]`. Anything else is an error at deploy.
 * Every expression must hold (condition/all.go). Read at pulumi-kubernetes@v4.32.0, the newest tag the
 * reference copy holds; these files are unchanged from there to its main branch of July 2026.
 *
 * A jsonpath is RFC 9535 since v4.24.0 (CHANGELOG.md; provider/pkg/jsonpath/jsonpath.go parses it with
 * github.com/theory/jsonpath): without `=<value>` it holds once the path selects anything, with a value once the
 * first selected value equals it. So a filter such as `{.list[?@=='x']}` waits for `x` to be in `list`, in
 * any position (`[0]` would depend on the order the list is written in).
 */
export type WaitExpression =
  | { kind: 'condition'; type: string; status: string }
  | { kind: 'jsonpath'; path: string; value: string | undefined }
  | { kind: 'invalid'; text: string };

export const waitForAnnotation = 'pulumi.com/waitFor';

export function waitExpressions(
  annotations: Readonly<Record<string, unknown>> | undefined,
): WaitExpression[] {
  const value = annotations?.[waitForAnnotation];
  if (typeof value !== 'string' || value === '') return [];
  return expressionsOf(value).map(parse);
}

function expressionsOf(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // Not JSON: one expression.
  }
  return [value];
}

function parse(text: string): WaitExpression {
  if (text.startsWith('condition=')) {
    const [type = '', ...status] = text.slice('condition='.length).split('=');
    return type === ''
      ? { kind: 'invalid', text }
      : { kind: 'condition', type, status: status.join('=') || 'True' };
  }
  const jsonpath = /^jsonpath=\{(.+)\}(?:=(.*))?$/.exec(text);
  if (jsonpath) return { kind: 'jsonpath', path: jsonpath[1] as string, value: jsonpath[2] };
  return { kind: 'invalid', text };
}

/** True when the annotation waits for condition `type` with status True. */
export function awaitsCondition(annotations: Readonly<Record<string, unknown>> | undefined, type: string) {
  return waitExpressions(annotations).some(
    (e) => e.kind === 'condition' && e.type.toLowerCase() === type.toLowerCase() && e.status === 'True',
  );
}

/** True when the annotation waits for `path` (e.g. `.status.phase`) to hold `value`. */
export function awaitsJsonPath(
  annotations: Readonly<Record<string, unknown>> | undefined,
  path: string,
  value: string,
) {
  return waitExpressions(annotations).some(
    (e) => e.kind === 'jsonpath' && e.path === path && e.value === value,
  );
}

/**
 * True when the annotation waits for `member` to appear in the list at `listPath`: a jsonpath filter on the
 * list's items equal to `member` (`[?@=='m']`, `[?(@ == "m")]`), either bare or compared with `member` itself.
 */
export function awaitsListMember(
  annotations: Readonly<Record<string, unknown>> | undefined,
  listPath: string,
  member: string,
) {
  return waitExpressions(annotations).some(
    (e) =>
      e.kind === 'jsonpath' &&
      (e.value === undefined || e.value === member) &&
      filtersMember(e.path, listPath, member),
  );
}

function filtersMember(path: string, listPath: string, member: string): boolean {
  if (!path.startsWith(`${listPath}[?`) || !path.endsWith(']')) return false;
  const filter = path
    .slice(listPath.length + 2, -1)
    .replace(/^\((.*)\)$/, '$1')
    .replace(/\s+/g, '');
  return [`@=='${member}'`, `@=="${member}"`, `'${member}'==@`, `"${member}"==@`].includes(filter);
}
