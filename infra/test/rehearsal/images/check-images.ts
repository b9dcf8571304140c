import { type Stage, stages } from '@platform/charts/contract';
import type { RegisteredResource } from '../../../src/testing/index.js';
import type { Finding } from '../findings.js';
import { helmReleaseType, releaseSubject, resolveRelease } from '../helm/check-helm-releases.js';
import { isMap } from '../helm/helm-values.js';
import { chartImageReaders } from './chart-images.js';
import { imageName, parseImage } from './image-reference.js';
import { operatorDefaultImage } from './operator-default-images.js';
import { retiredSourceOf } from './retired-image-sources.js';
import { builtLocallyIn } from './skaffold-images.js';

/** One image a stack will run, and where it was found. */
export interface ImageUse {
  subject: string;
  path: string;
  image: string;
}

export interface ImageCheckOptions {
  /**
   * Images built on the developer's machine and loaded into the cluster by Skaffold (skaffold.yaml
   * build.artifacts[].image): their tag is Skaffold's, not a registry's.
   */
  builtLocally?: readonly string[];
}

const versionTag = /^v?\d+(\.\d+)*([-+._][0-9A-Za-z][0-9A-Za-z.+_-]*)?$/;
const digest = /^sha256:[a-f0-9]{64}$/;

/**
 * Every image reference the stacks will run resolves to a maintained source (retired-image-sources.ts) and is
 * pinned: a digest, or a tag that is a version (never `latest`, never missing).
 */
export function checkImages(
  resources: readonly RegisteredResource[],
  options: ImageCheckOptions = optionsOfStack(resources),
): Finding[] {
  return imageUses(resources).flatMap((use) => judge(use, options));
}

/** Options for the stack named in the resources' URNs (`urn:pulumi:<stack>::...`). */
function optionsOfStack(resources: readonly RegisteredResource[]): ImageCheckOptions {
  const stack = resources[0]?.urn.split(':')[2];
  return stages.includes(stack as Stage) ? { builtLocally: builtLocallyIn(stack as Stage) } : {};
}

export function imageUses(resources: readonly RegisteredResource[]): ImageUse[] {
  return resources.flatMap((resource) =>
    resource.type === helmReleaseType ? releaseImages(resource) : objectImages(resource),
  );
}

function releaseImages(release: RegisteredResource): ImageUse[] {
  const resolved = resolveRelease(release);
  if (!resolved) return []; // the Helm check reports a chart without fixture
  const reader = chartImageReaders[resolved.chart.fixture.folder];
  if (!reader) throw new Error(`no image reader for chart ${resolved.chart.fixture.folder}`);
  const subject = releaseSubject(release);
  return reader(resolved.templateValues, resolved.chart.appVersion).map((found) => ({ subject, ...found }));
}

/**
 * Container images (`image`) and CloudNativePG's `imageName` anywhere in a resource's inputs, and the operator's
 * default where a custom resource names none.
 */
function objectImages(resource: RegisteredResource): ImageUse[] {
  const uses: ImageUse[] = [];
  const walk = (node: unknown, path: string, subject: string) => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${path}[${i}]`, subject);
      return;
    }
    if (!isMap(node)) return;
    // Objects of a ConfigGroup are subjects of their own.
    const own = typeof node.kind === 'string' && isMap(node.metadata) ? describeObject(node) : subject;
    const base = own === subject ? path : '';
    for (const [key, value] of Object.entries(node)) {
      const at = base ? `${base}.${key}` : key;
      if ((key === 'image' || key === 'imageName') && typeof value === 'string') {
        uses.push({ subject: own, path: at, image: value });
      } else {
        walk(value, at, own);
      }
    }
  };
  const subject = `${resource.type.split(':').at(-1)} ${resource.name}`;
  walk(resource.inputs, '', subject);
  return [...uses, ...operatorDefaultImage(resource).map((found) => ({ subject, ...found }))];
}

function describeObject(object: Record<string, unknown>): string {
  const metadata = object.metadata as { name?: string; namespace?: string };
  return `${String(object.kind)} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name ?? ''}`;
}

function judge(use: ImageUse, options: ImageCheckOptions): Finding[] {
  const reference = parseImage(use.image);
  const findings: Finding[] = [];
  const retired = retiredSourceOf(imageName(reference));
  if (retired) {
    findings.push({
      ...use,
      message: `${use.image}: ${retired.reason}`,
      source: 'infra/test/rehearsal/images/retired-image-sources.ts',
    });
  }
  const local = options.builtLocally?.includes(use.image.split(/[:@]/)[0] ?? '');
  if (!local && !pinned(reference.tag, reference.digest)) {
    findings.push({
      ...use,
      message: `${use.image || '(empty)'}: not pinned (a version tag or a sha256 digest; never latest or missing)`,
      source: 'infra/test/rehearsal/images/check-images.ts',
    });
  }
  return findings;
}

function pinned(tag: string | undefined, imageDigest: string | undefined): boolean {
  if (imageDigest) return digest.test(imageDigest);
  return tag !== undefined && tag !== 'latest' && versionTag.test(tag);
}
