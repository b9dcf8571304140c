import { isPinnedDigest, parseImageReference } from '../model/image-reference.js';
import type { ObjectRule } from '../model/rule.js';
import { isSharedStage } from '../model/stage-context.js';
import { containersOf, podTemplateOf } from '../model/workloads.js';

export const imagePinned: ObjectRule = {
  scope: 'object',
  name: 'image-pinned',
  description:
    'No container image floats: never `latest` or an implicit tag, and outside local every image is pinned ' +
    'by sha256 digest so what was tested is exactly what runs.',
  severity: 'high',
  remediation:
    'Reference images as repository@sha256:<digest> (outside local pass the digest the release build ' +
    'produced, e.g. `npm run synth -- --env <env> --image <repo>@sha256:...`); in local use an explicit tag.',
  check(object, context) {
    const template = podTemplateOf(object);
    if (!template) return [];
    return containersOf(template.spec).flatMap(({ container, label }) => {
      const image = container.image ?? '';
      const reference = parseImageReference(image);
      if (reference.digest !== undefined) {
        return isPinnedDigest(reference.digest) ? [] : [`${label}: "${image}" has a malformed sha256 digest`];
      }
      if (isSharedStage(context)) return [`${label}: "${image}" must be pinned by sha256 digest`];
      if (reference.tag === undefined || reference.tag === 'latest') {
        return [`${label}: "${image}" uses a floating tag (latest or none)`];
      }
      return [];
    });
  },
};
