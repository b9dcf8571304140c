import semver from 'semver';
import { apiGroup } from '../model/kube-object.js';
import type { ObjectRule } from '../model/rule.js';

export const helmReleasePinned: ObjectRule = {
  scope: 'object',
  name: 'helm-release-pinned',
  description:
    'Every Helm release pins its chart to one exact version: a range or an empty version installs whatever ' +
    'the repository serves that day, and two stages drift apart without a code change.',
  severity: 'high',
  remediation:
    'Set the release\'s version to an exact chart version (for example "1.26.1"), never a range or empty.',
  check(object) {
    if (apiGroup(object) !== 'helm.sh') return [];
    const version = (object.spec as { version?: unknown } | undefined)?.version;
    if (typeof version !== 'string' || version === '') return ['chart version is not set'];
    return semver.valid(version) ? [] : [`chart version "${version}" is not one exact version`];
  },
};
