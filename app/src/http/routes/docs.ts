import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { z } from 'zod';
import type { LocalUser } from '../../modules/auth/local-user.js';
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

// The pages and their start-up scripts are ours; the bundles are served from the installed packages, never a
// CDN, so the pages work offline and under a CSP that allows scripts from this origin only. The empty icon
// keeps browsers from asking for /favicon.ico, a 404 logged as a console error.
const swaggerPage = (banner: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>platform-api · API docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${docsPrefix}/swagger-ui.css"></head>
<body>${banner}<div id="docs"></div>
<script src="${docsPrefix}/swagger-ui-bundle.js"></script>
<script src="${docsPrefix}/init.js"></script></body>
</html>`;

const swaggerInit = `window.ui = SwaggerUIBundle({
  url: '${openApiPath}',
  dom_id: '#docs',
  deepLinking: true,
  persistAuthorization: true,
  validatorUrl: null,
});`;

/** ReDoc's reading view of the same document, beside Swagger UI's try-it-out one. */
export const redocPath = `${docsPrefix}/redoc`;

const redocPage = (banner: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>platform-api · API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"></head>
<body>${banner}<div id="redoc"></div>
<script src="${docsPrefix}/redoc.standalone.js"></script>
<script src="${docsPrefix}/redoc-init.js"></script></body>
</html>`;

// Two parts of ReDoc reach past this origin, which the docs CSP (the Swagger page's) refuses: search runs in a
// Web Worker built from a blob: URL (worker-src falls back to script-src 'self'), so search is off; and the side
// menu's "API docs by Redocly" credit always shows a logo from cdn.redoc.ly (redoc 2.5.4, no option to hide it).
// The bundled React 18 sets an image's source twice, by setAttribute and then by the src property when it mounts
// the image: both are guarded, so an off-origin image is hidden before it is requested, instead of being
// fetched, refused, and reported as a violation.
const redocInit = `const offOrigin = (url) => new URL(url, location.href).origin !== location.origin && !url.startsWith('data:');
const image = HTMLImageElement.prototype;
const setAttribute = image.setAttribute;
image.setAttribute = function (name, value) {
  if (name !== 'src' || !offOrigin(String(value))) return setAttribute.call(this, name, value);
  this.hidden = true;
};
const src = Object.getOwnPropertyDescriptor(image, 'src');
Object.defineProperty(image, 'src', {
  ...src,
  set(value) {
    if (!offOrigin(String(value))) return src.set.call(this, value);
    this.hidden = true;
  },
});
Redoc.init('${openApiPath}', { disableSearch: true }, document.getElementById('redoc'));`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * Above both pages when AUTH_ENABLED=false: whoever tries an operation should know it runs as that user, not
 * as whatever they typed into "Authorize" (a token given there still wins).
 */
export function authOffBanner(user: LocalUser): string {
  return (
    '<div id="auth-off-banner" role="alert" style="padding:10px 16px;background:#fff3cd;color:#533f03;' +
    'border-bottom:2px solid #d39e00;font:600 15px/1.4 sans-serif">Authentication is off (AUTH_ENABLED=false): ' +
    `requests without a token act as ${escapeHtml(user.email)} (${user.role}).</div>`
  );
}

type Asset = { type: string; body: string | Buffer };
const html = (body: string): Asset => ({ type: 'text/html; charset=utf-8', body });
const script = (body: string | Buffer): Asset => ({ type: 'text/javascript; charset=utf-8', body });

/** Where an installed package's files are, without evaluating its entry point. */
function packageDir(name: string): string {
  return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
}

/**
 * The docs pages: Swagger UI at /docs and ReDoc at /docs/redoc, both over /api/v1/openapi.json (not in prod:
 * the config refuses them there). Everything under /docs gets the docs CSP from the security headers.
 */
export function docsRouter(options: { readonly actingAs?: LocalUser | undefined } = {}): Router {
  const banner = options.actingAs ? authOffBanner(options.actingAs) : '';
  // The packages' entry points evaluate whole browser bundles (Swagger UI's alone is about 0.4 s of start-up):
  // only their files are needed here, so they are found next to their package.json instead.
  const swagger = packageDir('swagger-ui-dist');
  const redoc = join(packageDir('redoc'), 'bundles');
  const assets = new Map<string, Asset>([
    ['', html(swaggerPage(banner))],
    ['/init.js', script(swaggerInit)],
    [
      '/swagger-ui.css',
      { type: 'text/css; charset=utf-8', body: readFileSync(join(swagger, 'swagger-ui.css')) },
    ],
    ['/swagger-ui-bundle.js', script(readFileSync(join(swagger, 'swagger-ui-bundle.js')))],
    ['/redoc', html(redocPage(banner))],
    ['/redoc-init.js', script(redocInit)],
    ['/redoc.standalone.js', script(readFileSync(join(redoc, 'redoc.standalone.js')))],
  ]);
  const router = new Router({ ...routerOptions, prefix: docsPrefix });
  for (const [path, asset] of assets) {
    router.get(path || '/', (ctx) => {
      ctx.type = asset.type;
      ctx.set('Cache-Control', asset.type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600');
      ctx.body = asset.body;
    });
  }
  return router;
}
