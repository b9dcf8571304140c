import { expect } from 'vitest';
import { mockPlatform, type RegisteredResource } from '../../../src/testing/registered-resources.js';
import type { Finding } from '../findings.js';
import { chartDistObjects } from './chart-dist.js';
import { checkIstioObjects, istioObjectsOf } from './check-istio-objects.js';
import { type IstioObject, isIstioObject } from './istio-object.js';

// Planting defects into copies of today's objects: each case edits one copy and expects istiod's message.

// biome-ignore lint/suspicious/noExplicitAny: planting edits arbitrary spec fields
export type Spec = Record<string, any>;

/** The Istio objects of today's committed local manifests (retries off: the route defect 3 was about). */
export const chartIstioObjects = (): IstioObject[] => chartDistObjects('local').filter(isIstioObject);

/**
 * The program's own mesh objects for prod (the Gateway with its HTTPS server, the mesh-wide PeerAuthentication,
 * the Telemetry), without the chart objects it applies, and everything it registered.
 */
export async function programIstioObjects(): Promise<{
  objects: IstioObject[];
  resources: RegisteredResource[];
}> {
  const { resources } = await mockPlatform('prod');
  const own = resources.filter((r) => r.type !== 'kubernetes:yaml/v2:ConfigGroup');
  return { objects: istioObjectsOf(own), resources };
}

/** A set of today's objects to copy from. */
export class TodaysObjects {
  objects: IstioObject[] = [];

  one = (kind: string, name?: string): IstioObject => {
    const found = this.objects.filter(
      (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
    );
    if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
    return structuredClone(found[0]!);
  };

  /** Findings for a copy of one object with a defect planted in it. */
  plant = (kind: string, edit: (spec: Spec, object: IstioObject) => void, name?: string): Finding[] => {
    const object = this.one(kind, name);
    edit(object.spec as Spec, object);
    return checkIstioObjects([object]);
  };
}

export const finding = (path: string, message: string | RegExp) =>
  expect.objectContaining({
    path,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });
