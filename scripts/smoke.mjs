#!/usr/bin/env node
// Black-box smoke test of a running Interflow API: only HTTP, only the public contract. The same script runs against
// `func start` (the GitHub workflow) and against the standalone test server (scripts/test.sh).
//
//   node scripts/smoke.mjs --base http://localhost:7071 --key ifk_test_...
//   (or INTERFLOW_BASE_URL / INTERFLOW_KEY)
//
// It starts a webhook receiver on 127.0.0.1 (the app must allow plain http to loopback receivers, as local runs do),
// then checks: the OpenAPI document and the docs page, served without a key; customers CRUD; a sandbox send reaching
// "read"; a 200-recipient bulk job reaching "completed" with counts that add up; and signed webhook deliveries of
// those events. Ends with "smoke: N passed, N failed".
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const base = (args.base ?? process.env.INTERFLOW_BASE_URL ?? 'http://localhost:7071').replace(/\/$/, '');
const key = args.key ?? process.env.INTERFLOW_KEY;
const timeoutSeconds = Number(args.timeout ?? process.env.INTERFLOW_SMOKE_TIMEOUT ?? 240);
if (!key) {
  console.error('usage: node scripts/smoke.mjs --base URL --key ifk_test_... (or INTERFLOW_BASE_URL, INTERFLOW_KEY)');
  process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const deadline = (seconds) => Date.now() + seconds * 1000;
// Brazilian mobile numbers that the sandbox delivers and reads (it fails those ending in 0000, keeps 0001 at sent).
const phone = () => `55119${randomInt(6, 10)}${String(randomInt(0, 10_000_000)).padStart(7, '0').replace(/000[01]$/, '1234')}`;

class SmokeFailure extends Error {}
function check(condition, what) {
  if (!condition) throw new SmokeFailure(what);
}

/** One API call; answers {status, headers, body}. Honours 429/503 Retry-After, as a well-behaved client does. */
async function call(method, path, body, headers = {}) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if ((response.status === 429 || response.status === 503) && attempt < 5) {
      await sleep(1000 * Number(response.headers.get('retry-after') ?? 1));
      continue;
    }
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SmokeFailure(`${method} ${path}: ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    check(response.headers.get('x-request-id'), `${method} ${path}: no X-Request-Id`);
    check(typeof json.success === 'boolean', `${method} ${path}: not the envelope: ${text.slice(0, 200)}`);
    return { status: response.status, headers: response.headers, body: json };
  }
}

async function expect(status, method, path, body, headers) {
  const response = await call(method, path, body, headers);
  check(response.status === status, `${method} ${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

async function until(what, seconds, probe) {
  const end = deadline(seconds);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new SmokeFailure(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(500);
  }
}

/** Receives webhook deliveries and verifies their Standard Webhooks signature with the endpoint's secret. */
function startReceiver() {
  const events = new Map();
  let secret;
  const problems = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = request.headers['webhook-id'];
      const timestamp = request.headers['webhook-timestamp'];
      const signature = String(request.headers['webhook-signature'] ?? '');
      const expected = createHmac('sha256', Buffer.from(String(secret).replace(/^whsec_/, ''), 'base64'))
        .update(`${id}.${timestamp}.${raw}`)
        .digest();
      const valid = signature.split(' ').some((part) => {
        const given = Buffer.from(part.replace(/^v1,/, ''), 'base64');
        return part.startsWith('v1,') && given.length === expected.length && timingSafeEqual(given, expected);
      });
      if (!valid) problems.push(`delivery ${id}: bad signature`);
      else if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) problems.push(`delivery ${id}: stale timestamp ${timestamp}`);
      else {
        const event = JSON.parse(raw);
        if (event.id !== id) problems.push(`delivery ${id}: body id ${event.id}`);
        events.set(id, event);
      }
      response.writeHead(valid ? 200 : 400).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/hooks/interflow`,
        setSecret: (value) => (secret = value),
        events,
        problems,
        close: () => new Promise((done) => { server.close(done); server.closeAllConnections(); }),
      }),
    ),
  );
}

const receiver = await startReceiver();
const results = [];
async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push(true);
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    results.push(false);
    console.log(`FAIL ${name}: ${error instanceof SmokeFailure ? error.message : error.stack}`);
  }
}
const seen = (type, resourceId) => [...receiver.events.values()].find((e) => e.type === type && e.data?.id === resourceId);

console.log(`smoke test of ${base}`);
let customerId;
let messageId;
let bulkId;
let channelId;

await step('OpenAPI document and docs page, without a key', async () => {
  const document = await fetch(`${base}/v1/openapi.json`);
  const json = await document.json();
  check(document.status === 200 && json.openapi === '3.1.1', `GET /v1/openapi.json answered ${document.status} ${json.openapi}`);
  check(json.paths['/v1/messages/send']?.post?.operationId === 'SendMessage', 'the document has no SendMessage operation');
  const page = await fetch(`${base}/docs`);
  const html = await page.text();
  check(page.status === 200 && page.headers.get('content-type')?.startsWith('text/html') && html.includes('/v1/messages/send'),
    `GET /docs answered ${page.status} ${page.headers.get('content-type')}`);
});

await step('webhook endpoint subscribed to every event', async () => {
  const created = await expect(201, 'POST', '/v1/webhooks', { url: receiver.url, events: ['*'], description: 'smoke' });
  check(created.body.data.secret?.startsWith('whsec_'), 'no whsec_ secret on creation');
  receiver.setSecret(created.body.data.secret);
  const listed = await expect(200, 'GET', '/v1/webhooks');
  check(listed.body.data.every((w) => w.secret === undefined), 'a listed webhook shows its secret');
});

await step('customers: create, get, update with If-Match, search, delete', async () => {
  const email = `smoke-${Date.now()}-${randomInt(1e6)}@example.com`;
  const created = await expect(201, 'POST', '/v1/customers',
    { name: 'João Smoke', email, phone: phone(), tags: ['smoke'], custom_fields: { origem: 'smoke' } },
    { 'Idempotency-Key': `smoke-${email}` });
  customerId = created.body.data.id;
  check(customerId?.startsWith('cust_'), `customer id ${customerId}`);
  const got = await expect(200, 'GET', `/v1/customers/${customerId}`);
  const etag = got.headers.get('etag');
  check(etag && got.body.data.email === email, 'GET shows the customer with an ETag');
  const updated = await expect(200, 'PUT', `/v1/customers/${customerId}`, { tags: ['smoke', 'gold'] }, { 'If-Match': etag });
  check(updated.body.data.tags.includes('gold'), 'PUT applied');
  await expect(412, 'PUT', `/v1/customers/${customerId}`, { tags: ['stale'] }, { 'If-Match': etag });
  const found = await expect(200, 'GET', `/v1/customers?search=${encodeURIComponent(email)}`);
  check(found.body.meta.total === 1 && found.body.data[0].id === customerId, 'search finds exactly the customer');
  const deleted = await expect(200, 'DELETE', `/v1/customers/${customerId}`);
  check(deleted.body.data.deleted === true, 'DELETE answers deleted: true');
  await expect(404, 'GET', `/v1/customers/${customerId}`);
});

await step('sandbox send reaches read', async () => {
  const channel = await expect(201, 'POST', '/v1/channels', { name: 'Smoke sandbox', kind: 'sandbox', messages_per_second: 1000 });
  channelId = channel.body.data.id;
  const sent = await expect(201, 'POST', '/v1/messages/send',
    { channel_id: channelId, to: phone(), type: 'text', content: { text: 'Olá! Esta é uma mensagem via API.' } });
  messageId = sent.body.data.id;
  check(sent.body.data.status === 'sent' && sent.body.data.direction === 'outbound', `send answered ${JSON.stringify(sent.body.data)}`);
  const read = await until('the message to be read', 60, async () => {
    const message = (await expect(200, 'GET', `/v1/messages/${messageId}`)).body.data;
    return message.status === 'read' && message;
  });
  check(read.sent_at && read.delivered_at && read.read_at, 'sent_at, delivered_at and read_at set');
});

await step('bulk job of 200 recipients reaches completed with counts that add up', async () => {
  const recipients = Array.from({ length: 200 }, (_, i) => ({ to: phone(), variables: [`Cliente ${i}`] }));
  const submitted = await expect(202, 'POST', '/v1/messages/bulk',
    { channel_id: channelId, type: 'text', content: { text: 'Olá {{1}}, smoke test' }, recipients });
  bulkId = submitted.body.data.id;
  check(submitted.body.data.total === 200, `total ${submitted.body.data.total}`);
  const job = await until('the bulk job to complete', timeoutSeconds, async () => {
    const current = (await expect(200, 'GET', `/v1/messages/bulk/${bulkId}`)).body.data;
    check(current.queued + current.sent + current.failed + current.cancelled === current.total, `counts do not add up: ${JSON.stringify(current)}`);
    return current.status === 'completed' && current;
  });
  check(job.sent === 200 && job.failed === 0 && job.cancelled === 0 && job.queued === 0, `final counts ${JSON.stringify(job)}`);
});

await step('webhooks delivered, signed: customer, message and bulk events', async () => {
  await until('the webhook deliveries', 90, async () =>
    seen('customer.created', customerId) && seen('customer.deleted', customerId)
    && seen('message.sent', messageId) && seen('message.read', messageId) && seen('bulk.completed', bulkId));
  check(receiver.problems.length === 0, receiver.problems.slice(0, 5).join('; '));
});

await receiver.close();
const passed = results.filter(Boolean).length;
console.log(`smoke: ${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length ? 0 : 1);
