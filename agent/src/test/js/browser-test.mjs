// Opens the test DMS page in Debian's headless Chromium, clicks "Ký số", and prints the page's
// result (JSON) on standard output. Usage: node browser-test.mjs PAGE_URL MODE, where MODE is
// granted (loopback access granted), denied (not granted), batch (granted; clicks "Ký 20 quyết
// định" instead), twice (granted; clicks "Ký số" twice and prints {"first": …, "second": …}) or
// other-origin.
// other-origin (the page's origin is not on the agent's allow-list): loopback access is granted,
// and the output is {"page": the page's result, "webSocket": "open"|"refused", "statuses": [the
// HTTP status of each response from the agent, the upgrade's included]}.
// The page's own address is forced into the "public" address space, so that Chromium's Local
// Network Access check applies to its calls to the agent on loopback, as for a real DMS.
import { chromium } from 'playwright-core';

const [pageUrl, mode] = process.argv.slice(2);
const page = new URL(pageUrl);
// playwright adds --headless and a fresh temporary --user-data-dir itself; the other flags keep
// Chromium off the network (on a closed CI network its background calls make it misbehave)
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--ip-address-space-overrides=${page.host}=public`],
});
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  if (mode !== 'denied') {
    await context.grantPermissions(['local-network-access'], { origin: page.origin });
  }
  const tab = await context.newPage();
  const agentPort = page.searchParams.get('agent');
  // what the browser itself received from the agent, whatever the page's script was allowed to read
  const statuses = [];
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  const fromAgent = (url) => new URL(url).port === agentPort;
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  // the raw response, also when CORS then hides it from the page
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    const url = urls.get(e.requestId);
    if (url && fromAgent(url)) {
      statuses.push({ url, status: e.statusCode });
    }
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => statuses.push({ url: 'websocket', status: e.response.status }));
  const messages = [];
  tab.on('console', (m) => messages.push(m.text()));
  await tab.goto(pageUrl);
  const click = async (button) => {
    await tab.evaluate(() => { document.querySelector('#result').textContent = ''; });
    await tab.click(button);
    await tab.waitForFunction(() => document.querySelector('#result').textContent !== '', null, { timeout: 60000 });
    return tab.textContent('#result');
  };
  const result = await click(mode === 'batch' ? '#signBatch' : '#sign');
  if (mode === 'other-origin') {
    const webSocket = await tab.evaluate((port) => new Promise((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/kyso/v1/ws`);
      socket.onopen = () => { socket.close(); resolve('open'); };
      socket.onerror = () => resolve('refused');
    }), agentPort);
    process.stdout.write(JSON.stringify({ page: JSON.parse(result), webSocket, statuses, console: messages }));
  } else if (mode === 'twice') {
    const second = await click('#sign');
    process.stdout.write(JSON.stringify({ first: JSON.parse(result), second: JSON.parse(second) }));
  } else {
    process.stdout.write(result);
  }
} finally {
  await browser.close();
}
