'use strict';
// A WebRTC peer no one in this repository wrote, driven by an xunit test over JSON lines on stdin/stdout.
// Usage: node peer.js wrtc|ndc
// Commands: {"cmd":"offer","channels":[...]}, {"cmd":"answer","sdp":..., "channels":[...]}, {"cmd":"remote-answer","sdp":...},
//   {"cmd":"create-channel", ...channel}, {"cmd":"send","label":..., "size":N, "binary":bool},
//   {"cmd":"expect","label":..., "bytes":N} (count instead of echo until N bytes arrived), {"cmd":"close-channel","label":...}, {"cmd":"exit"}.
// Every message received is echoed back unchanged on its channel (unless counting). Events go to stdout as JSON lines.
const readline = require('readline');
const { create } = require('./stacks');

const stack = process.argv[2] || 'wrtc';
const peer = create(stack);
const channels = new Map();
const counting = new Map();

function emit(obj) { process.stdout.write(JSON.stringify(obj) + '\n'); }

// The pattern both sides generate, so the receiver can check every byte: byte i of an N-byte message is (i*7 + N) & 0xff,
// and character i of a text message is 'a' + (i + N) % 26.
function pattern(size, binary) {
  if (!binary) {
    let s = '';
    const chars = [];
    for (let i = 0; i < size; i++) chars.push(String.fromCharCode(97 + ((i + size) % 26)));
    s = chars.join('');
    return s;
  }
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + size) & 0xff;
  return b;
}

function attach(chan) {
  channels.set(chan.label, chan);
  chan.onOpen = () => emit({ type: 'open', label: chan.label, id: chan.id });
  chan.onClose = () => { emit({ type: 'close', label: chan.label }); };
  chan.onMessage = (data) => {
    const c = counting.get(chan.label);
    if (c) {
      c.received += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      if (c.received >= c.bytes) { counting.delete(chan.label); emit({ type: 'counted', label: chan.label, bytes: c.received }); }
      return;
    }
    try { chan.send(data); } catch (e) { emit({ type: 'error', message: 'echo failed: ' + e.message }); }
  };
}

peer.onChannel = (chan) => { emit({ type: 'channel', label: chan.label, id: chan.id, protocol: chan.protocol, ordered: chan.ordered }); attach(chan); };
peer.onState = (state) => emit({ type: 'state', state });

function createChannels(list) { for (const c of list || []) attach(peer.createChannel(c.label, c)); }

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  let msg;
  try { msg = JSON.parse(line); } catch { return; }
  try {
    switch (msg.cmd) {
      case 'offer': createChannels(msg.channels); emit({ type: 'offer', sdp: await peer.createOffer() }); break;
      case 'answer': createChannels(msg.channels); emit({ type: 'answer', sdp: await peer.acceptOffer(msg.sdp) }); break;
      case 'remote-answer': await peer.acceptAnswer(msg.sdp); break;
      case 'create-channel': createChannels([msg]); break;
      case 'send': channels.get(msg.label).send(pattern(msg.size, !!msg.binary)); break;
      case 'expect': counting.set(msg.label, { bytes: msg.bytes, received: 0 }); emit({ type: 'expecting', label: msg.label }); break;
      case 'close-channel': channels.get(msg.label).close(); break;
      case 'exit': peer.close(); if (peer.cleanup) peer.cleanup(); process.exit(0); break;
      default: emit({ type: 'error', message: 'unknown command ' + msg.cmd });
    }
  } catch (e) {
    emit({ type: 'error', message: String(e && e.stack || e) });
  }
});
rl.on('close', () => { try { peer.close(); if (peer.cleanup) peer.cleanup(); } catch {} process.exit(0); });
emit({ type: 'ready', stack });
