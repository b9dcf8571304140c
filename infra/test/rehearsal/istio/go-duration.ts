import { cite, jsonpbDuration } from './upstream-source.js';

const unitNanos: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

export type Parsed = { ok: true; nanos: number } | { ok: false; message: string };

/**
 * Go's time.ParseDuration, which jsonpb uses for every google.protobuf.Duration in an Istio spec: a sequence of
 * decimal numbers each with a unit (`300ms`, `1.5h`, `2h45m`), optional sign, `0` alone without a unit. The error
 * texts are Go's, prefixed the way jsonpb reports them (`bad Duration: ...`).
 */
export function parseGoDuration(text: string): Parsed {
  const invalid = (detail = `time: invalid duration "${text}"`): Parsed => ({
    ok: false,
    message: `bad Duration: ${detail}`,
  });
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, nanos: 0 };
  if (rest === '') return invalid();
  let nanos = 0;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    const [whole = '', fraction] = [number[1], number[2]];
    if (whole === '' && (fraction === undefined || fraction === '')) return invalid();
    rest = rest.slice(number[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === '') return invalid(`time: missing unit in duration "${text}"`);
    const scale = unitNanos[unit];
    if (scale === undefined) return invalid(`time: unknown unit "${unit}" in duration "${text}"`);
    rest = rest.slice(unit.length);
    nanos += Number(`${whole || '0'}.${fraction ?? '0'}`) * scale;
  }
  return { ok: true, nanos: Math.round(sign * nanos) };
}

/**
 * A duration field as the webhook sees it: jsonpb must parse it (rejecting e.g. `1d` or `30`), then
 * agent.ValidateDuration wants at least 1ms and whole milliseconds.
 */
export function durationProblem(value: unknown): { message: string; source: string } | undefined {
  if (typeof value !== 'string') return { message: 'bad Duration: not a string', source: jsonpbDuration };
  const parsed = parseGoDuration(value);
  if (!parsed.ok) return { message: parsed.message, source: jsonpbDuration };
  if (parsed.nanos < 1e6) {
    return { message: 'duration must be greater than 1ms', source: cite('agent', 'ValidateDuration') };
  }
  if (parsed.nanos % 1e6 !== 0) {
    return {
      message: 'only durations to ms precision are supported',
      source: cite('agent', 'ValidateDuration'),
    };
  }
  return undefined;
}

/** Whole seconds, for rules that want seconds precision (corsPolicy.maxAge). */
export function durationNanos(value: string): number | undefined {
  const parsed = parseGoDuration(value);
  return parsed.ok ? parsed.nanos : undefined;
}
