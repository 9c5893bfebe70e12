'use strict';
// Sanity check of the adapters: two peers of one stack in one process exchange a message.
const { create } = require('./stacks');
(async () => {
  const stack = process.argv[2] || 'wrtc';
  const a = create(stack), b = create(stack);
  const ch = a.createChannel('x', {});
  b.onChannel = (c) => { c.onMessage = (m) => c.send(m); };
  const got = new Promise((r) => { ch.onMessage = r; });
  ch.onOpen = () => ch.send('hello');
  await a.acceptAnswer(await b.acceptOffer(await a.createOffer()));
  console.log(stack, 'echo:', await got);
  a.close(); b.close(); if (a.cleanup) a.cleanup();
  process.exit(0);
})();
