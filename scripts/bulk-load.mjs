#!/usr/bin/env node
// Black-box bulk load: one job through the public API of a running server (the standalone test server, or func start),
// timed from submission to "completed". Plain Node, no packages.
//
//   node scripts/bulk-load.mjs --base http://127.0.0.1:7071 --key ifk_live_... [--recipients 10000] [--rate 1000]
import { randomInt } from 'node:crypto';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const base = (args.base ?? process.env.INTERFLOW_BASE_URL ?? 'http://localhost:7071').replace(/\/$/, '');
const key = args.key ?? process.env.INTERFLOW_KEY;
const recipients = Number(args.recipients ?? 10_000);
const rate = Number(args.rate ?? 1000);
if (!key) {
  console.error('usage: node scripts/bulk-load.mjs --base URL --key ifk_... [--recipients N] [--rate messages-per-second]');
  process.exit(2);
}

async function call(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  if (!json.success) throw new Error(`${method} ${path}: ${response.status} ${json.error.message} ${JSON.stringify((json.error.details ?? []).slice(0, 3))}`);
  return json.data;
}

const channel = await call('POST', '/v1/channels', { name: 'Bulk load', kind: 'sandbox', messages_per_second: rate });
// New numbers every run (new customers and chats, as a campaign to new contacts), none a sandbox test number: São
// Paulo state mobiles, 9 digits starting 9, never ending 0000 or 0001.
const area = [11, 12, 13, 14, 15, 16, 17, 18, 19][randomInt(0, 9)];
const run = 60 + randomInt(0, 40);
const list = Array.from({ length: recipients }, (_, i) =>
  ({ to: `55${area}9${run}${String(i).padStart(5, '0')}2`, variables: [`Cliente ${i}`] }));
const started = performance.now();
const job = await call('POST', '/v1/messages/bulk', { channel_id: channel.id, type: 'text', content: { text: 'Olá {{1}}!' }, recipients: list });
let state = job;
while (state.status !== 'completed' && state.status !== 'cancelled') {
  await new Promise((resolve) => setTimeout(resolve, 100));
  state = await call('GET', `/v1/messages/bulk/${job.id}`);
}
const seconds = (performance.now() - started) / 1000;
console.log(`bulk-load: ${recipients} recipients on a ${rate}/s channel: ${state.status} in ${seconds.toFixed(1)} s, ` +
  `${Math.round(state.sent / seconds)} msg/s (sent ${state.sent}, failed ${state.failed}, cancelled ${state.cancelled}, queued ${state.queued})`);
