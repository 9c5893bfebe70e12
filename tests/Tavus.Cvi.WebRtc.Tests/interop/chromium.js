'use strict';
// Chromium (Debian package, /usr/bin/chromium) as a WebRTC peer, driven over the same JSON lines as peer.js.
// playwright-core only drives the installed browser (executablePath); it downloads nothing.
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { chromium } = require('playwright-core');

function emit(obj) { process.stdout.write(JSON.stringify(obj) + '\n'); }

(async () => {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // Real host addresses instead of mDNS names, so our side can also be the controlling agent.
      '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
  const page = await browser.newPage();
  await page.exposeFunction('cviEmit', (o) => emit(o));
  await page.goto('about:blank');
  await page.addScriptTag({ content: fs.readFileSync(path.join(__dirname, 'page-peer.js'), 'utf8') });
  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin });
  const exit = async () => { try { await browser.close(); } catch {} process.exit(0); };
  rl.on('line', (line) => {
    let msg;
    try { msg = JSON.parse(line); } catch { return; }
    if (msg.cmd === 'exit') { queue = queue.then(exit); return; }
    // Commands run one after the other, as in peer.js.
    queue = queue.then(() => page.evaluate((m) => window.cviHandle(m), msg)).catch((e) => emit({ type: 'error', message: String(e) }));
  });
  rl.on('close', () => { queue.then(exit); });
  emit({ type: 'ready', stack: 'chromium', version: browser.version() });
})().catch((e) => { emit({ type: 'error', message: String(e && e.stack || e) }); process.exit(1); });
