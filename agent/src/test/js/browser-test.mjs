// Opens the test DMS page in Debian's headless Chromium, clicks "Ký số", and prints the page's
// result (JSON) on standard output. Usage: node browser-test.mjs PAGE_URL granted|denied
// The page's own address is forced into the "public" address space, so that Chromium's Local
// Network Access check applies to its calls to the agent on loopback, as for a real DMS.
import { chromium } from 'playwright-core';

const [pageUrl, mode] = process.argv.slice(2);
const page = new URL(pageUrl);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--ip-address-space-overrides=${page.host}=public`],
});
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  if (mode === 'granted') {
    await context.grantPermissions(['local-network-access'], { origin: page.origin });
  }
  const tab = await context.newPage();
  await tab.goto(pageUrl);
  await tab.click('#sign');
  await tab.waitForFunction(() => document.querySelector('#result').textContent !== '', null, { timeout: 60000 });
  process.stdout.write(await tab.textContent('#result'));
} finally {
  await browser.close();
}
