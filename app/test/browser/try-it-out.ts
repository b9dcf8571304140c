import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Swagger UI's "Try it out" then "Execute" on one operation (`<tag>-<operationId>`), as a reader would click
 * them; resolves with the status and body the page shows once it shows one.
 */
export async function tryItOut(page: Page, operation: string): Promise<{ status: string; body: string }> {
  const block = page.locator(`#operations-${operation}`);
  await block.locator('.opblock-summary').click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  await block.getByRole('button', { name: 'Execute' }).click();
  const status = block.locator('.live-responses-table .response .response-col_status').first();
  await expect.poll(async () => (await status.textContent())?.trim(), { timeout: 10_000 }).toMatch(/^\d{3}/);
  return {
    status: (await status.textContent()) ?? '',
    body: (await block.locator('.live-responses-table .microlight').first().textContent()) ?? '',
  };
}
