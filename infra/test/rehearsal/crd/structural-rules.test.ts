import { describe, expect, it } from 'vitest';
import { type SchemaIndex, schemaKey } from './schema-fixtures.js';
import type { StructuralSchema } from './structural-schema.js';
import { validateCustomResource } from './validate-custom-resource.js';

// Each rule of the API server's structural schema handling, on a small schema written for it: the pinned CRDs
// do not use every extension (no embedded resource or preserved subtree in the specs we create), yet a schema
// bump could bring them in.

function check(spec: StructuralSchema, value: unknown, metadata: Record<string, unknown> = { name: 'w' }) {
  const schemas: SchemaIndex = new Map([
    [
      schemaKey('example.com/v1', 'Widget'),
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        scope: 'Namespaced' as const,
        storage: true,
        deprecated: false,
        source: 'test schema',
        openAPIV3Schema: { type: 'object', properties: { spec } },
      },
    ],
  ]);
  return validateCustomResource(
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata, spec: value },
    schemas,
  );
}

const at = (path: string, message: string | RegExp) =>
  expect.objectContaining({
    path,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });
const notChecked = at('', /some validation rules were not checked/);

describe('structural schema rules (kubernetes/apiextensions-apiserver)', () => {
  it('x-kubernetes-preserve-unknown-fields keeps any field below it, declared fields are still checked', () => {
    const spec: StructuralSchema = {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { size: { type: 'integer' } },
    };
    expect(check(spec, { anything: { goes: [1] }, size: 2 })).toEqual([]);
    expect(check(spec, { size: 'big' })).toEqual([at('spec.size', /must be of type integer/), notChecked]);
  });

  it('without it, unknown fields are reported, in maps and lists too', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: {
        labels: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { v: { type: 'string' } } },
        },
        items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    };
    expect(
      check(spec, { labels: { x: { v: 'a', w: 'b' } }, items: [{ a: 'x' }, { b: 'y' }], extra: 1 }),
    ).toEqual([
      at('spec.extra', /^unknown field/),
      at('spec.items[1].b', /^unknown field/),
      at('spec.labels.x.w', /^unknown field/),
    ]);
  });

  it('x-kubernetes-int-or-string takes an integer or a string', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: {
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      },
    };
    expect(check(spec, { port: 80 })).toEqual([]);
    expect(check(spec, { port: 'http' })).toEqual([]);
    expect(check(spec, { port: 1.5 })).toEqual([
      at('spec.port', /must be of type integer or string/),
      notChecked,
    ]);
  });

  it('x-kubernetes-embedded-resource needs apiVersion and kind, and its metadata is ObjectMeta', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: {
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
        },
      },
    };
    const good = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { replicas: 1 },
    };
    expect(check(spec, { template: good })).toEqual([]);
    expect(check(spec, { template: { metadata: { nmae: 'x' }, spec: {} } })).toEqual([
      at('spec.template.apiVersion', /Required value/),
      at('spec.template.kind', /Required value/),
      at('spec.template.metadata.nmae', 'unknown field'),
      notChecked,
    ]);
  });

  it('nullable admits null; a non-nullable null is dropped, or defaulted when the field has a default', () => {
    const spec: StructuralSchema = {
      type: 'object',
      required: ['mode'],
      properties: {
        note: { type: 'string', nullable: true },
        mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
        size: { type: 'integer' },
        list: { type: 'array', items: { type: 'string' } },
      },
    };
    expect(check(spec, { note: null, mode: null, size: null })).toEqual([]);
    expect(check(spec, { list: ['x', null] })).toEqual([
      at('spec.list[1]', /must be of type string/),
      notChecked,
    ]);
  });

  it('maxItems, maxLength, minimum/maximum (exclusive), multipleOf, minProperties', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: {
        hosts: { type: 'array', maxItems: 2, items: { type: 'string', maxLength: 5 } },
        weight: { type: 'integer', maximum: 100, exclusiveMaximum: true, multipleOf: 5 },
        selector: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
      },
    };
    expect(check(spec, { hosts: ['a', 'b'], weight: 95, selector: { a: 'b' } })).toEqual([]);
    expect(check(spec, { hosts: ['a', 'b', 'toolong'], weight: 100, selector: {} })).toEqual([
      at('spec.hosts', /Too many: 3: must have at most 2 items/),
      at('spec.hosts[2]', /Too long: may not be more than 5/),
      at('spec.weight', /should be less than 100/),
      at('spec.selector', /should have at least 1 properties/),
      notChecked,
    ]);
    expect(check(spec, { weight: 7 })).toEqual([at('spec.weight', /multiple of 5/)]);
  });

  it('formats the API server knows are checked; others (int32, double) are ignored as it does', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: {
        at: { type: 'string', format: 'date-time' },
        data: { type: 'string', format: 'byte' },
        host: { type: 'string', format: 'hostname' },
        count: { type: 'integer', format: 'int32' },
      },
    };
    expect(
      check(spec, { at: '2026-12-04T10:00:00Z', data: 'aGVsbG8=', host: 'api.example.com', count: 1 }),
    ).toEqual([]);
    expect(check(spec, { at: 'yesterday', data: 'not base64!', host: '-bad-.com' })).toEqual([
      at('spec.at', /must be of format date-time/),
      at('spec.data', /must be of format byte/),
      at('spec.host', /must be of format hostname/),
    ]);
  });

  it('oneOf / not with required express mutually exclusive fields (Istio’s pattern)', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: { exact: { type: 'string' }, prefix: { type: 'string' } },
      oneOf: [
        { not: { anyOf: [{ required: ['exact'] }, { required: ['prefix'] }] } },
        { required: ['exact'] },
        { required: ['prefix'] },
      ],
    };
    expect(check(spec, { exact: '/a' })).toEqual([]);
    expect(check(spec, { exact: '/a', prefix: '/b' })).toEqual([
      at('spec', /one and only one schema \(oneOf\)/),
    ]);
  });

  it('x-kubernetes-list-type: set rejects duplicates', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: { hosts: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } },
    };
    expect(check(spec, { hosts: ['a', 'b', 'a'] })).toEqual([at('spec.hosts[2]', 'Duplicate value: "a"')]);
  });

  it('CEL: transition rules are not run on create; a rule needing an unregistered function is reported, never passed', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: {
        name: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }],
        },
        cpu: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: "quantity(self).isLessThan(quantity('4'))" }],
        },
      },
    };
    expect(check(spec, { name: 'a' })).toEqual([]);
    expect(check(spec, { cpu: '2' })).toEqual([at('spec.cpu', /CEL rule .*quantity.* not evaluated here/)]);
  });

  it('CEL: messageExpression gives the message of a failed rule', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: {
        replicas: {
          type: 'integer',
          'x-kubernetes-validations': [
            {
              rule: 'self <= 5',
              message: 'too many',
              messageExpression: "'at most 5 replicas, got ' + string(self)",
            },
          ],
        },
      },
    };
    expect(check(spec, { replicas: 7 })).toEqual([
      at('spec.replicas', 'Invalid value: at most 5 replicas, got 7'),
    ]);
  });

  it('CEL: a rule reading an absent field errors as it does in the API server', () => {
    const spec: StructuralSchema = {
      type: 'object',
      properties: { a: { type: 'string' } },
      'x-kubernetes-validations': [{ rule: "self.a == 'x'" }],
    };
    expect(check(spec, { a: 'x' })).toEqual([]);
    expect(check(spec, { a: 'y' })).toEqual([at('spec', "Invalid value: failed rule: self.a == 'x'")]);
    expect(check(spec, {})).toEqual([at('spec', /errored: No such key: a/)]);
  });

  it('metadata.name must be a DNS subdomain; labels must be valid', () => {
    const spec: StructuralSchema = { type: 'object' };
    expect(check(spec, {}, { name: 'Platform_DB' })).toEqual([at('metadata.name', /RFC 1123 subdomain/)]);
    expect(check(spec, {}, { name: 'ok', labels: { app: 'has space' } })).toEqual([
      at('metadata.labels[app]', /valid label/),
    ]);
  });
});
