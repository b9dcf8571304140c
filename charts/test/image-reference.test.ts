import { describe, expect, it } from 'vitest';
import {
  InvalidImageReference,
  isPlaceholderImage,
  localImage,
  parseImageReference,
  placeholderImage,
} from '../src/config/image-reference.js';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('image references', () => {
  it.each([
    [`ghcr.io/org/platform-api@${digest}`, 'ghcr.io/org/platform-api', undefined],
    [`ghcr.io/org/platform-api:1.2.3@${digest}`, 'ghcr.io/org/platform-api', '1.2.3'],
    [`localhost:5000/platform-api@${digest}`, 'localhost:5000/platform-api', undefined],
  ])('accepts the digest reference %s', (ref, repository, tag) => {
    const parsed = parseImageReference(ref, { requireDigest: true });
    expect(parsed).toMatchObject({ ref, repository, digest });
    expect(parsed.tag).toBe(tag);
  });

  it.each([
    ['ghcr.io/org/platform-api:1.2.3', /not pinned by digest/],
    ['ghcr.io/org/platform-api:latest', /latest/],
    ['ghcr.io/org/platform-api', /neither tag nor digest/],
    ['ghcr.io/org/platform-api@sha256:abc', /invalid digest/],
    [`GHCR.io/Org/API@${digest}`, /repository/],
  ])('rejects %s where digests are required', (ref, message) => {
    expect(() => parseImageReference(ref, { requireDigest: true })).toThrow(InvalidImageReference);
    expect(() => parseImageReference(ref, { requireDigest: true })).toThrow(message);
  });

  it('accepts a tag where digests are not required, but never latest', () => {
    expect(parseImageReference('platform-api:dev', { requireDigest: false }).tag).toBe('dev');
    expect(() => parseImageReference('platform-api:latest', { requireDigest: false })).toThrow(/latest/);
    expect(() => parseImageReference('platform-api', { requireDigest: false })).toThrow(/neither/);
  });

  it('keeps the placeholder a valid digest that is recognisable as a placeholder', () => {
    expect(parseImageReference(placeholderImage, { requireDigest: true }).digest).toMatch(/^sha256:0{64}$/);
    expect(isPlaceholderImage(placeholderImage)).toBe(true);
    expect(isPlaceholderImage(`platform-api@${digest}`)).toBe(false);
    expect(parseImageReference(localImage, { requireDigest: false }).repository).toBe('platform-api');
  });
});
