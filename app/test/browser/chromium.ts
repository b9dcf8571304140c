import { type Browser, chromium } from 'playwright-core';

// Debian's Chromium, driven headless; the flags keep it from reaching for the network on its own.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The browser the docs pages are checked in. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
