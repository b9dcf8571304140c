import { stages } from '@platform/charts/contract';
import { describe, expect, it } from 'vitest';
import { imagePinned } from '../../src/rules/image-pinned.js';
import { verdict } from '../support/fixtures.js';

describe('image-pinned', () => {
  it.each(stages)('accepts digests in %s, with a tag beside them and a registry port', (stage) => {
    expect(verdict(imagePinned, 'pass.yaml', stage)).toEqual([]);
  });

  it('lets a local cluster run an explicit tag', () => {
    expect(verdict(imagePinned, 'tagged.yaml', 'local')).toEqual([]);
  });

  it.each(['dev', 'staging', 'prod'] as const)('requires a digest in %s', (stage) => {
    expect(verdict(imagePinned, 'tagged.yaml', stage)).toEqual([
      'Deployment shop/web: container "web": "registry.example:5000/shop/web:1.4.2" must be pinned by sha256 digest',
    ]);
  });

  it('rejects latest and a missing tag even locally, and a malformed digest anywhere', () => {
    expect(verdict(imagePinned, 'fail.yaml', 'local')).toEqual([
      'Deployment shop/web: init container "wait": "busybox:latest" uses a floating tag (latest or none)',
      'Deployment shop/web: container "web": "registry.example:5000/shop/web" uses a floating tag (latest or none)',
      'Deployment shop/web: container "helper": "ghcr.io/example/helper@sha256:abc123" has a malformed sha256 digest',
    ]);
  });
});
