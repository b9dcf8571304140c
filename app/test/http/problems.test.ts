import Router from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pipeline } from '../../src/http/pipeline.js';
import { Conflict, Invalid } from '../../src/shared/errors.js';
import { expectProblem } from '../support/problem.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Routes that fail on purpose, mounted behind the real pipeline: no production route exists to produce a 500.
function failingRoutes() {
  const router = new Router({ prefix: '/test' });
  router.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  router.post('/validated', (ctx) => {
    ctx.body = z.object({ email: z.email(), age: z.number().int().min(0) }).parse(ctx.request.body);
  });
  router.post('/invalid', () => {
    throw new Invalid('bad', [{ field: 'title', message: 'is required' }]);
  });
  router.post('/conflict', () => {
    throw new Conflict('email already registered');
  });
  return router;
}

const withFailingRoutes: Parameters<typeof startTestApp>[1] = (cfg, deps) => {
  const app = new Koa();
  for (const layer of pipeline(cfg, deps)) app.use(layer);
  app.use(failingRoutes().routes());
  return app;
};

describe('problem+json for every error', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_MAX: '1000' }, withFailingRoutes);
  });
  afterAll(() => app.close());

  it('404 for a route that does not exist', async () => {
    const body = await expectProblem(await app.fetch('/api/v1/nothing-here'), 404, 'not-found');
    expect(body.instance).toBe('/api/v1/nothing-here');
  });

  it('405 with Allow for a method the route does not have', async () => {
    const live = await startTestApp();
    try {
      const response = await live.fetch('/api/v1/health/live', { method: 'DELETE' });
      await expectProblem(response, 405, 'method-not-allowed');
      expect(response.headers.get('allow')).toContain('GET');
    } finally {
      await live.close();
    }
  });

  it('400 for malformed JSON', async () => {
    const response = await app.fetch('/test/validated', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    await expectProblem(response, 400, 'malformed-json');
  });

  it('422 with one entry per invalid field from a zod schema', async () => {
    const response = await app.fetch('/test/validated', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'not-an-email', age: -1 }),
    });
    const body = await expectProblem(response, 422, 'validation-failed');
    expect(body.errors).toEqual([
      { field: 'email', message: expect.any(String) },
      { field: 'age', message: expect.any(String) },
    ]);
  });

  it('422 from a typed Invalid error', async () => {
    const response = await app.fetch('/test/invalid', { method: 'POST' });
    const body = await expectProblem(response, 422, 'validation-failed');
    expect(body.errors).toEqual([{ field: 'title', message: 'is required' }]);
  });

  it('409 from a typed Conflict error, with its message as detail', async () => {
    const body = await expectProblem(await app.fetch('/test/conflict', { method: 'POST' }), 409, 'conflict');
    expect(body.detail).toBe('email already registered');
  });

  it('500 hides the error from the client and logs it once with its stack and request id', async () => {
    const response = await app.fetch('/test/boom', { headers: { 'x-request-id': 'trace-me-500-abc' } });
    const body = await expectProblem(response, 500, 'internal');
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(body.requestId).toBe('trace-me-500-abc');
    const logged = app.logs.lines.filter((line) => line.msg === 'unexpected error');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      requestId: 'trace-me-500-abc',
      err: { stack: expect.stringContaining('Error') },
    });
  });

  it('shows the stack only where error details are exposed (local)', async () => {
    const local = await startTestApp({ EXPOSE_ERROR_DETAILS: 'true' }, withFailingRoutes);
    try {
      const body = (await (await local.fetch('/test/boom')).json()) as { stack?: string[] };
      expect(body.stack?.length).toBeGreaterThan(1);
    } finally {
      await local.close();
    }
  });
});
