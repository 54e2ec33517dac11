import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interflow } from '../dist/esm/index.js';
import { baseUrl, newKey, requests, uniquePhone } from './harness.mjs';

for (const suffix of ['', '/', '/v1', '/v1/']) {
  test(`the base URL works as the reference writes it: "…${suffix}"`, async () => {
    const key = await newKey();
    const interflow = new Interflow({ apiKey: key, baseUrl: baseUrl + suffix });

    const page = await interflow.customers.list();

    assert.deepEqual(page.data, []);
    assert.deepEqual((await requests(key)).map((r) => r.path), ['/v1/customers']);
  });
}

test('every result carries its answer: request id, status, rate limit, idempotent replay', async () => {
  const interflow = new Interflow({ apiKey: await newKey(), baseUrl });
  const channel = await interflow.channels.create({ name: 'Loja', kind: 'sandbox' });
  const phone = uniquePhone();

  const opened = await interflow.chats.open({ channel_id: channel.id, phone });
  const found = await interflow.chats.open({ channel_id: channel.id, phone });
  const customer = { name: 'Ana', phone: uniquePhone() };
  const first = await interflow.customers.create(customer, { idempotencyKey: 'order-21' });
  const again = await interflow.customers.create(customer, { idempotencyKey: 'order-21' });
  const page = await interflow.customers.list();

  assert.deepEqual([opened.lastResponse.status, found.lastResponse.status, found.id], [201, 200, opened.id]);
  assert.match(first.lastResponse.requestId, /^req_/);
  assert.deepEqual([first.lastResponse.idempotentReplayed, again.lastResponse.idempotentReplayed, again.id], [false, true, first.id]);
  assert.notEqual(again.lastResponse.requestId, first.lastResponse.requestId);
  assert.equal(page.lastResponse.rateLimit.limit, 1000);
  assert.ok(page.lastResponse.rateLimit.remaining <= 994 && page.lastResponse.rateLimit.reset > Date.now() / 1000);
  assert.equal(JSON.stringify(first), JSON.stringify({ ...first }), 'the answer is not one of the fields');
  assert.equal(page.data[0].lastResponse, undefined);
});
