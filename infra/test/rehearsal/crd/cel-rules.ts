import { Environment } from '@marcbachmann/cel-js';
import type { ValidationRule } from './structural-schema.js';

/**
 * `x-kubernetes-validations` rules evaluated the way the API server does on create
 * (kubernetes/apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/cel/validation.go), with @marcbachmann/cel-js as
 * the CEL interpreter plus the Kubernetes libraries our CRDs' rules call (k8s.io/apiserver pkg/cel/library:
 * url.go). A rule this environment cannot type-check (a Kubernetes library function not registered here) is
 * reported as not evaluated, never passed.
 */
class KubernetesUrl {
  constructor(readonly url: URL) {}
}

// k8s.io/apiserver pkg/cel/library/url.go: url() accepts absolute URIs and absolute paths (Go url.ParseRequestURI).
function parseUrl(text: string): KubernetesUrl {
  const parsed = text.startsWith('/') ? new URL(text, 'http://path-only') : new URL(text);
  return new KubernetesUrl(parsed);
}

const environment = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable('self', 'dyn')
  .registerVariable('oldSelf', 'dyn')
  .registerType('URL', KubernetesUrl)
  .registerFunction('url(string): URL', parseUrl)
  .registerFunction('isURL(string): bool', (text: string) => {
    try {
      parseUrl(text);
      return true;
    } catch {
      return false;
    }
  })
  .registerFunction('URL.getScheme(): string', (u: KubernetesUrl) => u.url.protocol.replace(/:$/, ''))
  .registerFunction('URL.getHost(): string', (u: KubernetesUrl) => u.url.host)
  .registerFunction('URL.getHostname(): string', (u: KubernetesUrl) => u.url.hostname.replace(/^\[|\]$/g, ''))
  .registerFunction('URL.getPort(): string', (u: KubernetesUrl) => u.url.port)
  .registerFunction('URL.getEscapedPath(): string', (u: KubernetesUrl) => u.url.pathname)
  .registerFunction('URL.getQuery(): map', (u: KubernetesUrl) => {
    const query: Record<string, string[]> = {};
    for (const [k, v] of u.url.searchParams) query[k] = [...(query[k] ?? []), v];
    return query;
  });

export type RuleOutcome =
  | { kind: 'passed' }
  | { kind: 'failed'; message: string }
  | { kind: 'errored'; message: string }
  | { kind: 'transition' }
  | { kind: 'not-evaluated'; message: string };

const usesOldSelf = (rule: ValidationRule) => /\boldSelf\b/.test(rule.rule);

const checked = new Map<string, string | undefined>();

function typeCheckError(expression: string): string | undefined {
  if (!checked.has(expression)) {
    let error: string | undefined;
    try {
      const result = environment.check(expression) as { valid: boolean; error?: Error };
      if (!result.valid) error = result.error?.message.split('\n')[0] ?? 'does not type-check';
    } catch (e) {
      error = (e as Error).message.split('\n')[0];
    }
    checked.set(expression, error);
  }
  return checked.get(expression);
}

/** Evaluates one rule with `self` bound to the value (already converted with `toCelValue`). */
export function evaluateRule(rule: ValidationRule, self: unknown): RuleOutcome {
  // A transition rule compares with the stored object; on create there is none, so the API server skips it
  // (validation.go: `compiled.UsesOldSelf && oldObj == nil`), unless optionalOldSelf asks for it to run with
  // oldSelf as an empty optional, which this environment does not model.
  if (usesOldSelf(rule) && !rule.optionalOldSelf) return { kind: 'transition' };
  if (usesOldSelf(rule))
    return { kind: 'not-evaluated', message: 'optionalOldSelf rules need CEL optionals' };
  const notChecked = typeCheckError(rule.rule);
  if (notChecked) return { kind: 'not-evaluated', message: notChecked };
  try {
    const result = environment.evaluate(rule.rule, { self, oldSelf: null });
    if (result === true) return { kind: 'passed' };
    return { kind: 'failed', message: failureMessage(rule, self) };
  } catch (e) {
    return { kind: 'errored', message: (e as Error).message.split('\n')[0] ?? String(e) };
  }
}

/**
 * The message of a failed rule: `messageExpression` when it yields a non-empty single-line string, else
 * `message`, else "failed rule: <rule>" (apiextensions-apiserver@v0.33.1 pkg/apiserver/schema/cel/validation.go
 * `ruleMessageOrDefault` and the messageExpression handling beside it).
 */
function failureMessage(rule: ValidationRule, self: unknown): string {
  const fallback = rule.message ?? `failed rule: ${rule.rule}`;
  if (!rule.messageExpression || typeCheckError(rule.messageExpression)) return fallback;
  try {
    const message = environment.evaluate(rule.messageExpression, { self, oldSelf: null });
    return typeof message === 'string' && message.trim() !== '' && !message.includes('\n')
      ? message.trim()
      : fallback;
  } catch {
    return fallback;
  }
}
