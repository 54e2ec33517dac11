import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InterflowError } from '../dist/esm/index.js';
import { faults, IN_PROGRESS, newClient, RATE_LIMITED, requests, UNAVAILABLE, uniquePhone } from './harness.mjs';

const sends = async (key, path) => (await requests(key)).filter((r) => r.method === 'POST' && r.path === path);

test('a lost answer is retried with the same Idempotency-Key and the message exists once', async () => {
  const { interflow, key } = await newClient();
  const channel = await interflow.channels.create({ name: 'Loja', kind: 'sandbox' });
  const to = uniquePhone();
  await faults(key, { lose: true }, { lose: true });

  const message = await interflow.messages.send({ channel_id: channel.id, to, type: 'text', content: { text: 'Pedido confirmado' } });

  const tries = await sends(key, '/v1/messages/send');
  assert.deepEqual(tries.map((t) => t.fault), ['lost', 'lost', '']);
  assert.equal(new Set(tries.map((t) => t.idempotency_key)).size, 1);
  assert.match(tries[0].idempotency_key, /^ifn_/);
  const chat = await interflow.chats.open({ channel_id: channel.id, phone: to });
  const history = [];
  for await (const item of interflow.chats.listAllMessages(chat.id)) history.push(item.id);
  assert.deepEqual(history, [message.id]);
});

test("a caller's own key is the one every retry carries, and makes two calls one", async () => {
  const { interflow, key } = await newClient();
  await faults(key, { lose: true }, { status: 503, retry_after: '0', body: UNAVAILABLE });

  const first = await interflow.customers.create({ name: 'Ana', email: 'ana@example.com' }, { idempotencyKey: 'crm-42' });
  const again = await interflow.customers.create({ name: 'Ana', email: 'ana@example.com' }, { idempotencyKey: 'crm-42' });
  await interflow.customers.create({ name: 'Bia', email: 'bia@example.com' });

  const tries = await sends(key, '/v1/customers');
  assert.deepEqual(tries.map((t) => t.idempotency_key).slice(0, 4), ['crm-42', 'crm-42', 'crm-42', 'crm-42']);
  assert.notEqual(tries[4].idempotency_key, 'crm-42');
  assert.equal(again.id, first.id);
  assert.equal((await interflow.customers.list()).total, 2);
});

test('409 in progress, 503 and 429 are retried after their Retry-After', async () => {
  const { interflow, key } = await newClient();
  await faults(key,
    { status: 409, retry_after: '1', body: IN_PROGRESS },
    { status: 503, retry_after: '0', body: UNAVAILABLE },
    { status: 429, retry_after: '1', body: RATE_LIMITED });
  const started = performance.now();

  const customer = await interflow.customers.create({ name: 'Dora', email: 'dora@example.com' });

  // A lower bound: the client waited at least as long as asked, twice.
  assert.ok(performance.now() - started >= 2000, `retried after ${performance.now() - started} ms`);
  const tries = await sends(key, '/v1/customers');
  assert.deepEqual(tries.map((t) => t.status), [409, 503, 429, 201]);
  assert.equal(new Set(tries.map((t) => t.idempotency_key)).size, 1);
  assert.equal((await interflow.customers.list({ email: 'dora@example.com' })).data[0].id, customer.id);
});

test('retries stop at the cap and the last answer is raised', async () => {
  const { interflow, key } = await newClient({ maxRetries: 2 });
  await faults(key, ...Array(3).fill({ status: 503, retry_after: '0', body: UNAVAILABLE }));

  const error = await interflow.customers.list().catch((e) => e);

  assert.ok(error instanceof InterflowError);
  assert.deepEqual([error.status, error.code, error.retryAfter], [503, 'SERVICE_UNAVAILABLE', 0]);
  assert.equal((await requests(key)).length, 3);
});

test('a Retry-After beyond the longest wait is raised at once, not cut short', async () => {
  const { interflow, key } = await newClient({ maxRetryDelayMs: 1000 });
  await faults(key, { status: 429, retry_after: '30', body: RATE_LIMITED });

  const error = await interflow.channels.list().catch((e) => e);

  assert.deepEqual([error.status, error.code, error.retryAfter], [429, 'RATE_LIMIT_EXCEEDED', 30]);
  assert.equal((await requests(key)).length, 1);
});

test("Starter's real rate limit: the 61st call in a minute is refused with its Retry-After", async () => {
  const { interflow, key } = await newClient({ plan: 'starter', maxRetryDelayMs: 1000 });
  let error;
  for (let call = 0; call < 130 && !error; call++) {
    error = await interflow.channels.list().then(() => undefined, (e) => e);
  }
  assert.deepEqual([error?.status, error?.code], [429, 'RATE_LIMIT_EXCEEDED']);
  assert.ok(error.retryAfter > 1, `Retry-After ${error.retryAfter}`);
  // Raised at once, not retried: the last request is the refused one (a minute turning mid-loop may add an earlier,
  // retried 429 with a short Retry-After).
  const seen = await requests(key);
  assert.equal(seen.at(-1).status, 429);
  assert.ok(seen.filter((r) => r.status === 429).length <= 2);
});

test('a plain 409 and a 422 are raised at once with their code and details', async () => {
  const { interflow, key } = await newClient();
  await interflow.customers.create({ name: 'Eva', email: 'eva@example.com' });

  const conflict = await interflow.customers.create({ name: 'Eva 2', email: 'EVA@example.com' }).catch((e) => e);
  const invalid = await interflow.messages.send({ channel_id: 'ch_x', to: '123', type: 'text', content: { text: '' } }).catch((e) => e);

  assert.deepEqual([conflict.status, conflict.code, conflict.retryAfter], [409, 'CONFLICT', null]);
  assert.deepEqual([invalid.status, invalid.code], [422, 'VALIDATION_ERROR']);
  assert.ok(invalid.details.some((d) => d.field === 'content.text'), JSON.stringify(invalid.details));
  assert.equal((await sends(key, '/v1/customers')).length, 2);
  assert.equal((await sends(key, '/v1/messages/send')).length, 1);
});

test('an answer outside the envelope is UNEXPECTED_RESPONSE, not a parse error, and is not retried', async () => {
  const { interflow, key } = await newClient();
  await faults(key, { status: 502, content_type: 'text/html', body: '<html>Bad gateway</html>' });

  const error = await interflow.chats.list().catch((e) => e);

  assert.ok(error instanceof InterflowError);
  assert.deepEqual([error.status, error.code], [502, InterflowError.UNEXPECTED_RESPONSE]);
  assert.match(error.message, /Bad gateway/);
  assert.equal((await requests(key)).length, 1);
});

test('a server that never answers is raised after the retries as UNEXPECTED_RESPONSE with status 0', async () => {
  const { Interflow } = await import('../dist/esm/index.js');
  const interflow = new Interflow({ apiKey: 'ifk_test_x', baseUrl: 'http://127.0.0.1:9', maxRetries: 1, retryDelayMs: 10 });
  const error = await interflow.customers.list().catch((e) => e);
  assert.deepEqual([error.status, error.code], [0, 'UNEXPECTED_RESPONSE']);
});
