// Opens the test DMS page written for the VGCA plugin (with kyso-vgca-shim.js instead) in Debian's
// headless Chromium, in a fresh profile, clicks "Ký số" and prints the page's result (JSON).
// Usage: node vgca-shim-test.mjs PAGE_URL   (the URL carries ?agent=PORT&scenario=NAME)
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [pageUrl] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'kyso-vgca-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  ignoreHTTPSErrors: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const tab = context.pages()[0] ?? await context.newPage();
  await tab.goto(pageUrl);
  await tab.click('#go');
  await tab.waitForFunction(() => document.querySelector('#result').textContent !== '', null, { timeout: 90000 });
  process.stdout.write(await tab.textContent('#result'));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
