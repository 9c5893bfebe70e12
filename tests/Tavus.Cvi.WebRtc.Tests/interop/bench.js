'use strict';
// Self-benchmark of one native stack against itself in one process, on loopback, as a baseline for our peer.
// Usage: node bench.js wrtc|ndc [bulkBytes] [pings]
// Prints one JSON line: setup (offer->open, answer->open, ms), RTT p50/p99 (us, 100 B), throughput (MB/s, 16 KiB and 1 KiB messages).
const { create } = require('./stacks');

const stack = process.argv[2] || 'wrtc';
const bulkBytes = Number(process.argv[3] || 64 * 1024 * 1024);
const pings = Number(process.argv[4] || 1000);
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

function opened(chan) {
  return new Promise((resolve) => { if (chan.isOpen()) resolve(); else chan.onOpen = resolve; });
}

async function bulk(a, b, size, total) {
  let received = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  b.onMessage = (m) => { received += m.length; if (received >= total) done(); };
  const chunk = Buffer.alloc(size, 7);
  const high = 1024 * 1024;
  a.setLowThreshold(256 * 1024);
  const t0 = now();
  let sent = 0;
  while (sent < total) {
    while (sent < total && a.bufferedAmount() < high) { a.send(chunk); sent += size; }
    // bufferedamountlow, with a 2 ms poll as a fallback: libwebrtc's node binding sometimes misses the crossing.
    if (sent < total) await new Promise((r) => { a.onLow = r; setTimeout(r, 2); });
  }
  await finished;
  return (total / 1e6) / ((now() - t0) / 1000);
}

(async () => {
  const pa = create(stack), pb = create(stack);
  const t0 = now();
  const ca = pa.createChannel('bench', {});
  let cb;
  const bChannel = new Promise((resolve) => { pb.onChannel = (c) => { cb = c; resolve(c); }; });
  const offer = await pa.createOffer();
  const answer = await pb.acceptOffer(offer);
  const tAnswer = now();
  await pa.acceptAnswer(answer);
  await Promise.all([opened(ca), bChannel.then(opened)]);
  const tOpen = now();

  // Round trips of 100-byte binary messages, b echoing.
  cb.onMessage = (m) => cb.send(m);
  const payload = Buffer.alloc(100, 1);
  const rtts = [];
  for (let i = 0; i < pings + 50; i++) {
    const t = process.hrtime.bigint();
    await new Promise((r) => { ca.onMessage = r; ca.send(payload); });
    if (i >= 50) rtts.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  rtts.sort((x, y) => x - y);
  const pct = (p) => rtts[Math.min(rtts.length - 1, Math.floor(p * rtts.length))];

  const mb16 = await bulk(ca, cb, 16 * 1024, bulkBytes);
  const mb1 = await bulk(ca, cb, 1024, Math.max(1024, Math.floor(bulkBytes / 4)));
  console.log(JSON.stringify({ stack, offerToOpenMs: tOpen - t0, answerToOpenMs: tOpen - tAnswer, rttP50Us: pct(0.5), rttP99Us: pct(0.99), mbps16k: mb16, mbps1k: mb1 }));
  pa.close(); pb.close(); if (pa.cleanup) pa.cleanup();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
