import type Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, createApp } from '../../src/app.js';
import { keyScopeOf } from '../../src/http/api/api-route.js';
import { koaPath } from '../../src/http/api/register-routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Operation {
  operationId: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  security?: unknown[];
}
type Document = {
  openapi: string;
  servers?: unknown[];
  paths: Record<string, Record<string, Operation>>;
};

// The docs page and its assets are not API operations; everything else the app routes must be documented.
const undocumentedPrefixes = ['/docs'];

describe('OpenAPI document', () => {
  let app: TestApp;
  let document: Document;
  beforeAll(async () => {
    app = await startTestApp({ DOCS_ENABLED: 'true' });
    document = (await (await app.fetch('/api/v1/openapi.json')).json()) as Document;
  });
  afterAll(() => app.close());

  const documented = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );

  const registered = () => {
    const koa = createApp(app.cfg, { ...app.deps, isAcceptingTraffic: () => true });
    return koa.middleware
      .flatMap((layer) => (layer as { router?: Router }).router?.stack ?? [])
      .flatMap((layer) =>
        layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${layer.path}`),
      )
      .filter((route) => !undocumentedPrefixes.some((prefix) => route.split(' ')[1]!.startsWith(prefix)));
  };

  it('is OpenAPI 3.1 with bearer and X-API-Key security, served relative to its own origin', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: '/', description: 'This service' }]);
    expect(JSON.stringify(document)).toContain('"scheme":"bearer"');
    expect(JSON.stringify(document)).toContain('"type":"apiKey","in":"header","name":"X-API-Key"');
  });

  it('documents every registered route, and every documented route is registered', () => {
    const toKoa = (route: string) => {
      const [method, path] = route.split(' ');
      return `${method} ${koaPath(path!)}`;
    };
    expect(documented().map(toKoa).sort()).toEqual(registered().sort());
  });

  it('every documented route is served (neither 404 nor 405)', async () => {
    for (const route of documented()) {
      const [method, path] = route.split(' ');
      const response = await app.fetch(path!.replace('{id}', crypto.randomUUID()), { method });
      const body = (await response.json()) as { detail?: string };
      const unrouted =
        response.status === 405 || (response.status === 404 && body.detail?.startsWith('No route'));
      expect(unrouted, route).toBe(false);
    }
  });

  it('gives each operation its request schema, success schema and problem responses', () => {
    for (const route of apiRoutes(app.cfg, { ...app.deps, isAcceptingTraffic: () => true })) {
      const operation = document.paths[route.path]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      if (route.body) expect(operation!.requestBody?.content['application/json']?.schema).toBeDefined();
      if (route.params)
        expect(operation!.parameters?.filter((p) => p.in === 'path').length).toBeGreaterThan(0);
      if (route.query)
        expect(operation!.parameters?.filter((p) => p.in === 'query').length).toBeGreaterThan(0);
      const success = operation!.responses[String(route.success.status)];
      if (route.success.schema) expect(success?.content?.['application/json']?.schema).toBeDefined();
      for (const status of ['400', '429', '500', ...(route.access === 'public' ? [] : ['401'])]) {
        expect(
          operation!.responses[status]?.content?.['application/problem+json'],
          `${route.path} ${status}`,
        ).toBeDefined();
      }
      const scope = keyScopeOf(route);
      const security =
        route.access === 'public' ? [] : scope ? [{ bearer: [] }, { apiKey: [scope] }] : [{ bearer: [] }];
      expect(operation!.security, route.path).toEqual(security);
    }
  });

  it('is not served when the docs are off (as in prod)', async () => {
    const off = await startTestApp({ DOCS_ENABLED: 'false' });
    try {
      expect((await off.fetch('/api/v1/openapi.json')).status).toBe(404);
      expect((await off.fetch('/docs/')).status).toBe(404);
      expect((await off.fetch('/docs/redoc')).status).toBe(404);
      expect((await off.fetch('/docs/redoc.standalone.js')).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
