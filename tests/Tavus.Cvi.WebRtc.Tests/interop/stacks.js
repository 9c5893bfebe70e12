'use strict';
// One small adapter over the two native WebRTC stacks the interop tests and benchmarks drive:
//   wrtc: libwebrtc through @roamhq/wrtc (W3C API)
//   ndc:  libdatachannel through node-datachannel (its own API)
// Both expose: createChannel(label, opts) -> Chan, createOffer(), acceptOffer(sdp), acceptAnswer(sdp), onChannel, onState, close().
// A Chan exposes: label, send(string|Buffer), bufferedAmount(), onOpen/onMessage/onClose/onLow, close().

function gatherComplete(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    pc.addEventListener('icecandidate', (e) => { if (!e.candidate) resolve(); });
  });
}

function wrtcChannel(dc) {
  dc.binaryType = 'arraybuffer';
  const chan = {
    label: dc.label, id: dc.id, protocol: dc.protocol, ordered: dc.ordered,
    send: (data) => dc.send(typeof data === 'string' ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
    bufferedAmount: () => dc.bufferedAmount,
    setLowThreshold: (n) => { dc.bufferedAmountLowThreshold = n; },
    onOpen: null, onMessage: null, onClose: null, onLow: null,
    isOpen: () => dc.readyState === 'open',
    close: () => dc.close(),
  };
  dc.onopen = () => chan.onOpen && chan.onOpen();
  dc.onclose = () => chan.onClose && chan.onClose();
  dc.onbufferedamountlow = () => chan.onLow && chan.onLow();
  dc.onmessage = (e) => chan.onMessage && chan.onMessage(typeof e.data === 'string' ? e.data : Buffer.from(e.data));
  return chan;
}

function createWrtc() {
  const { RTCPeerConnection } = require('@roamhq/wrtc');
  const pc = new RTCPeerConnection({ iceServers: [] });
  const peer = { onChannel: null, onState: null };
  pc.ondatachannel = (e) => peer.onChannel && peer.onChannel(wrtcChannel(e.channel));
  pc.onconnectionstatechange = () => peer.onState && peer.onState(pc.connectionState);
  peer.createChannel = (label, o = {}) => wrtcChannel(pc.createDataChannel(label, {
    ordered: o.ordered !== false, maxRetransmits: o.maxRetransmits ?? undefined,
    maxPacketLifeTime: o.maxPacketLifeTime ?? undefined, negotiated: !!o.negotiated, id: o.id ?? undefined, protocol: o.protocol || '',
  }));
  peer.createOffer = async () => {
    await pc.setLocalDescription(await pc.createOffer());
    await gatherComplete(pc);
    return pc.localDescription.sdp;
  };
  peer.acceptOffer = async (sdp) => {
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gatherComplete(pc);
    return pc.localDescription.sdp;
  };
  peer.acceptAnswer = async (sdp) => { await pc.setRemoteDescription({ type: 'answer', sdp }); };
  peer.close = () => pc.close();
  return peer;
}

function ndcChannel(dc, info) {
  const chan = {
    label: dc.getLabel(), id: dc.getId(), protocol: info.protocol || '', ordered: info.ordered !== false,
    send: (data) => (typeof data === 'string' ? dc.sendMessage(data) : dc.sendMessageBinary(data)),
    bufferedAmount: () => dc.bufferedAmount(),
    setLowThreshold: (n) => dc.setBufferedAmountLowThreshold(n),
    onOpen: null, onMessage: null, onClose: null, onLow: null,
    isOpen: () => dc.isOpen(),
    close: () => dc.close(),
  };
  dc.onOpen(() => chan.onOpen && chan.onOpen());
  dc.onClosed(() => chan.onClose && chan.onClose());
  dc.onBufferedAmountLow(() => chan.onLow && chan.onLow());
  dc.onMessage((m) => chan.onMessage && chan.onMessage(typeof m === 'string' ? m : Buffer.from(m)));
  return chan;
}

function createNdc() {
  const ndc = require('node-datachannel');
  const pc = new ndc.PeerConnection('peer', { iceServers: [], maxMessageSize: 262144 });
  const peer = { onChannel: null, onState: null };
  let gathered = null;
  const gatheredPromise = new Promise((resolve) => { gathered = resolve; });
  pc.onGatheringStateChange((s) => { if (s === 'complete') gathered(); });
  pc.onStateChange((s) => peer.onState && peer.onState(s));
  pc.onDataChannel((dc) => {
    const chan = ndcChannel(dc, {});
    if (peer.onChannel) peer.onChannel(chan);
    // libdatachannel hands over channels that are already open.
    if (dc.isOpen()) setImmediate(() => chan.onOpen && chan.onOpen());
  });
  peer.createChannel = (label, o = {}) => ndcChannel(pc.createDataChannel(label, {
    unordered: o.ordered === false, maxRetransmits: o.maxRetransmits ?? undefined,
    maxPacketLifeTime: o.maxPacketLifeTime ?? undefined, negotiated: !!o.negotiated, id: o.id ?? undefined, protocol: o.protocol || '',
  }), o);
  const local = async () => {
    await gatheredPromise;
    return pc.localDescription().sdp;
  };
  peer.createOffer = async () => { pc.setLocalDescription('offer'); return local(); };
  peer.acceptOffer = async (sdp) => { pc.setRemoteDescription(sdp, 'offer'); return local(); };
  peer.acceptAnswer = async (sdp) => { pc.setRemoteDescription(sdp, 'answer'); };
  peer.close = () => { pc.close(); };
  peer.cleanup = () => ndc.cleanup();
  return peer;
}

function create(stack) {
  if (stack === 'wrtc') return createWrtc();
  if (stack === 'ndc') return createNdc();
  throw new Error('unknown stack ' + stack);
}

module.exports = { create };
