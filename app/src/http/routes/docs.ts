import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { z } from 'zod';
import { type ApiRoute, route } from '../api/api-route.js';
import { docsPrefix } from '../middleware/security-headers.js';
import { apiPrefix, routerOptions } from './paths.js';

export const openApiPath = `${apiPrefix}/openapi.json`;

export function openApiRoute(document: () => unknown): ApiRoute {
  return route({
    method: 'get',
    path: openApiPath,
    operationId: 'openApi',
    summary: 'This document',
    tag: 'docs',
    access: 'public',
    success: {
      status: 200,
      description: 'OpenAPI 3.1 document',
      schema: z.looseObject({ openapi: z.string() }),
    },
    handle: document,
  });
}

// The page and its start-up script are ours; the bundle is served from the installed package, never a CDN,
// so the page works offline and under a CSP that allows scripts from this origin only.
const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>platform-api · API docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${docsPrefix}/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="${docsPrefix}/swagger-ui-bundle.js"></script>
<script src="${docsPrefix}/init.js"></script></body>
</html>`;

const init = `window.ui = SwaggerUIBundle({
  url: '${openApiPath}',
  dom_id: '#docs',
  deepLinking: true,
  persistAuthorization: true,
  validatorUrl: null,
});`;

/** The Swagger UI page at /docs (not in prod: the config refuses it there). */
export function docsRouter(): Router {
  // The package's entry point evaluates the whole 1.5 MB browser bundle (about 0.4 s of start-up): only its
  // files are needed here, so they are found next to its package.json instead.
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets = new Map<string, { type: string; body: string | Buffer }>([
    ['', { type: 'text/html; charset=utf-8', body: page }],
    ['/init.js', { type: 'text/javascript; charset=utf-8', body: init }],
    [
      '/swagger-ui.css',
      { type: 'text/css; charset=utf-8', body: readFileSync(join(dist, 'swagger-ui.css')) },
    ],
    [
      '/swagger-ui-bundle.js',
      { type: 'text/javascript; charset=utf-8', body: readFileSync(join(dist, 'swagger-ui-bundle.js')) },
    ],
  ]);
  const router = new Router({ ...routerOptions, prefix: docsPrefix });
  for (const [path, asset] of assets) {
    router.get(path || '/', (ctx) => {
      ctx.type = asset.type;
      ctx.set('Cache-Control', path ? 'public, max-age=3600' : 'no-cache');
      ctx.body = asset.body;
    });
  }
  return router;
}
