import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redocPath } from '../../src/http/routes/docs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launchChromium } from './chromium.js';
import { tryItOut } from './try-it-out.js';

const adminEmail = 'banner.admin@example.com';
const bannerText = `Authentication is off (AUTH_ENABLED=false): requests without a token act as ${adminEmail} (ADMIN).`;

describe('docs pages with authentication off, in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp({
      APP_ENV: 'local',
      DATABASE_KIND: 'postgres',
      LOG_FORMAT: 'json',
      SEED_ADMIN_EMAIL: adminEmail,
      AUTH_ENABLED: 'false',
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the banner above Swagger UI, whose "try it out" on a protected route then answers as that user', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/docs/`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    const banner = page.getByRole('alert');
    expect(await banner.isVisible()).toBe(true);
    expect((await banner.textContent())?.trim()).toBe(bannerText);

    const me = await tryItOut(page, 'users-getMe');
    expect(me.status).toContain('200');
    expect(me.body).toContain(adminEmail);
  });

  it('shows it above ReDoc too', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}${redocPath}`);
    await page.locator('[data-section-id^="operation/"]').first().waitFor({ timeout: 20_000 });
    const banner = page.getByRole('alert');
    expect(await banner.isVisible()).toBe(true);
    expect((await banner.textContent())?.trim()).toBe(bannerText);
  });
});
