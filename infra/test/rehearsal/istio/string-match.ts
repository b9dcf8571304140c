import { q, record, text } from './istio-object.js';

// StringMatch {exact|prefix|regex} rules. Source: istio/istio@1.30.3 pkg/config/validation/validation.go
// validateStringMatch, validateStringMatchRegexp, validateStringRegexp.

/** Constructs RE2 (Go's regexp) refuses that JavaScript accepts: lookaround and backreferences. */
const perlOnly = /\(\?[=!]|\(\?<[=!]|\\[1-9]/;

export function regexProblem(re: string, where: string): string | undefined {
  if (re.length > 1024) return `${q(where)}: regex is too large, max length allowed is 1024`;
  let error: string | undefined;
  if (perlOnly.test(re)) error = 'error parsing regexp: invalid or unsupported Perl syntax';
  else {
    try {
      new RegExp(re, 'u');
    } catch (e) {
      error = `error parsing regexp: ${(e as Error).message}`;
    }
  }
  return error
    ? `${q(where)}: ${error}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`
    : undefined;
}

export function regexMatchProblem(match: unknown, where: string): string | undefined {
  const m = record(match);
  if (!m || !('regex' in m)) return undefined;
  if (text(m.regex) === '') return `${q(where)}: regex string match should not be empty`;
  return regexProblem(text(m.regex), where);
}

/** Prefix matches must not be empty here (the uri match alone allows it, see regexMatchProblem). */
export function stringMatchProblem(match: unknown, where: string): string | undefined {
  const m = record(match);
  if (!m) return undefined;
  if ('prefix' in m && text(m.prefix) === '') return `${q(where)}: prefix string match should not be empty`;
  return regexMatchProblem(m, where);
}
