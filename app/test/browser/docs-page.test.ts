import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchChromium } from './chromium.js';
import { tryItOut } from './try-it-out.js';

describe('API docs page in a real browser', () => {
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

  it('loads under its CSP, lists the operations, and "try it out" on the health endpoint succeeds', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${app.url}/docs/`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });

    const operations = await page.locator('.opblock-summary-path').allTextContents();
    expect(operations.length).toBeGreaterThanOrEqual(20);
    expect(operations).toContain('/api/v1/items/{id}');

    const live = await tryItOut(page, 'health-live');
    expect(live.status).toContain('200');
    expect(live.body).toContain('"status": "ok"');
    expect(violations).toEqual([]);
  });
});
