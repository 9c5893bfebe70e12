// Runs inside a Chromium page: the same JSON-line protocol as peer.js, on the browser's own RTCPeerConnection.
// window.cviEmit(obj) is exposed by chromium.js and prints obj as a JSON line.
(() => {
  const pc = new RTCPeerConnection({ iceServers: [] });
  const channels = new Map();
  const counting = new Map();
  const emit = (o) => window.cviEmit(o);
  const gathered = () => new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    pc.addEventListener('icecandidate', (e) => { if (!e.candidate) resolve(); });
  });
  const pattern = (size, binary) => {
    if (!binary) { let a = new Array(size); for (let i = 0; i < size; i++) a[i] = String.fromCharCode(97 + ((i + size) % 26)); return a.join(''); }
    const b = new Uint8Array(size); for (let i = 0; i < size; i++) b[i] = (i * 7 + size) & 0xff; return b;
  };
  const attach = (dc) => {
    dc.binaryType = 'arraybuffer';
    channels.set(dc.label, dc);
    dc.onopen = () => emit({ type: 'open', label: dc.label, id: dc.id });
    dc.onclose = () => emit({ type: 'close', label: dc.label });
    dc.onmessage = (e) => {
      const c = counting.get(dc.label);
      if (c) {
        c.received += typeof e.data === 'string' ? new TextEncoder().encode(e.data).length : e.data.byteLength;
        if (c.received >= c.bytes) { counting.delete(dc.label); emit({ type: 'counted', label: dc.label, bytes: c.received }); }
        return;
      }
      try { dc.send(e.data); } catch (err) { emit({ type: 'error', message: 'echo failed: ' + err }); }
    };
  };
  pc.ondatachannel = (e) => { emit({ type: 'channel', label: e.channel.label, id: e.channel.id, protocol: e.channel.protocol, ordered: e.channel.ordered }); attach(e.channel); };
  pc.onconnectionstatechange = () => emit({ type: 'state', state: pc.connectionState });
  const create = (list) => { for (const c of list || []) attach(pc.createDataChannel(c.label, {
    ordered: c.ordered !== false, maxRetransmits: c.maxRetransmits ?? undefined, maxPacketLifeTime: c.maxPacketLifeTime ?? undefined,
    negotiated: !!c.negotiated, id: c.id ?? undefined, protocol: c.protocol || '' })); };
  window.cviHandle = async (msg) => {
    try {
      switch (msg.cmd) {
        case 'offer': create(msg.channels); await pc.setLocalDescription(await pc.createOffer()); await gathered(); emit({ type: 'offer', sdp: pc.localDescription.sdp }); break;
        case 'answer': create(msg.channels); await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp }); await pc.setLocalDescription(await pc.createAnswer()); await gathered(); emit({ type: 'answer', sdp: pc.localDescription.sdp }); break;
        case 'remote-answer': await pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp }); break;
        case 'create-channel': create([msg]); break;
        case 'send': channels.get(msg.label).send(pattern(msg.size, !!msg.binary)); break;
        case 'expect': counting.set(msg.label, { bytes: msg.bytes, received: 0 }); emit({ type: 'expecting', label: msg.label }); break;
        case 'close-channel': channels.get(msg.label).close(); break;
        default: emit({ type: 'error', message: 'unknown command ' + msg.cmd });
      }
    } catch (e) { emit({ type: 'error', message: String(e && e.stack || e) }); }
  };
})();
