import type { Finding } from '../findings.js';
import { durationProblem } from './go-duration.js';

/** A plain Kubernetes object of an Istio kind, as the charts emit it or the program registers it. */
export interface IstioObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: unknown;
  [field: string]: unknown;
}

/** The API groups istiod's webhook validates. */
export const istioGroups = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io'] as const;

export function isIstioObject(o: unknown): o is IstioObject {
  if (typeof o !== 'object' || o === null) return false;
  const { apiVersion, kind } = o as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
  return (istioGroups as readonly string[]).includes(apiVersion.split('/')[0] ?? '');
}

/** Collects what the webhook would reject in one object, each under the object's subject. */
export class Rejections {
  readonly findings: Finding[] = [];
  readonly subject: string;

  constructor(readonly object: IstioObject) {
    const { namespace, name } = object.metadata;
    this.subject = `${object.apiVersion} ${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
  }

  add(path: string, message: string | undefined, source: string): void {
    if (message !== undefined) this.findings.push({ subject: this.subject, path, message, source });
  }

  /** A google.protobuf.Duration field: jsonpb's parse, then agent.ValidateDuration. */
  duration(path: string, value: unknown): void {
    if (value === undefined) return;
    const problem = durationProblem(value);
    if (problem) this.add(path, problem.message, problem.source);
  }
}

/** Reading a decoded spec: absent and wrongly typed values read as absent (the CRD schema check reports types). */
export type Json = Record<string, unknown>;
export const record = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
export const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');
export const int = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** Go's %q for the strings these messages quote (no escapes needed for the values checked). */
export const q = (s: string): string => JSON.stringify(s);
