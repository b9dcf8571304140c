import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath, redocPath } from '../../src/http/routes/docs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchChromium } from './chromium.js';

type Document = { paths: Record<string, Record<string, { operationId: string }>> };

describe('ReDoc page in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp({ DOCS_ENABLED: 'true' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('is served under the same CSP as the Swagger UI page', async () => {
    const csp = async (path: string) => (await app.fetch(path)).headers.get('content-security-policy');
    expect(await csp(redocPath)).toBe(await csp('/docs/'));
    expect(await csp(redocPath)).toContain("script-src 'self'");
  });

  it('renders every operation of the document, from this origin only, with no CSP violation or error', async () => {
    const spec = (await (await app.fetch(openApiPath)).json()) as Document;
    const operationIds = Object.values(spec.paths).flatMap((item) =>
      Object.values(item).map((operation) => operation.operationId),
    );

    const page = await browser.newPage();
    // The browser's own record of each refusal, not only what reaches the console (this file has no DOM
    // types, so the page-side code is given as text).
    await page.addInitScript({
      content: `window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (event) =>
          window.cspViolations.push(event.effectiveDirective + ' ' + event.blockedURI));`,
    });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text()))
        errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(app.url) && !request.url().startsWith('data:'))
        elsewhere.push(request.url());
    });

    await page.goto(`${app.url}${redocPath}`);
    const operations = page.locator('[data-section-id^="operation/"]');
    await operations.first().waitFor({ timeout: 20_000 });

    const rendered = await operations.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-section-id')!.replace('operation/', '')),
    );
    expect(rendered.sort()).toEqual([...operationIds].sort());
    const live = await page.locator('[data-section-id="operation/live"] h2').textContent();
    expect(live?.trim()).toBe('Liveness: the process is up (depends on nothing)');
    const violations = await page.evaluate<string[]>('window.cspViolations');
    expect({ violations, errors, elsewhere }).toEqual({ violations: [], errors: [], elsewhere: [] });
  });
});
