import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InterflowError } from '../dist/esm/index.js';
import { fieldsOf, newClient, openapi, sink, uniquePhone } from './harness.mjs';

/** The result has exactly its schema's fields (the etag rides along, not enumerable). */
function assertShape(result, schema) {
  assert.deepEqual(Object.keys(result).sort(), fieldsOf(schema), `${schema}: ${JSON.stringify(result)}`);
}

test('customers: create, retrieve with its etag, update with if-match, list, filter and delete', async () => {
  const { interflow } = await newClient();
  const phone = uniquePhone();
  const created = await interflow.customers.create({ name: 'João Silva', phone, tags: ['vip'], custom_fields: { plano: 'ouro' } });
  const read = await interflow.customers.retrieve(created.id);
  const updated = await interflow.customers.update(created.id, { email: 'joao@example.com', custom_fields: { plano: null } }, { ifMatch: read.etag });
  const page = await interflow.customers.list({ tag: 'vip', per_page: 10 });
  const byPhone = await interflow.customers.list({ phone });
  const stale = await interflow.customers.update(created.id, { name: 'Outro' }, { ifMatch: read.etag }).catch((e) => e);
  const deleted = await interflow.customers.del(created.id);

  assertShape(created, 'CustomerView');
  assertShape(read, 'CustomerView');
  assertShape(deleted, 'DeletedView');
  assert.match(read.etag, /^(W\/)?"/);
  assert.equal(JSON.stringify(read), JSON.stringify(created));
  assert.deepEqual([updated.email, updated.custom_fields], ['joao@example.com', {}]);
  assert.deepEqual([page.total, page.page, page.per_page, page.has_more, page.data[0].id], [1, 1, 10, false, created.id]);
  assert.equal(byPhone.data[0].id, created.id);
  assert.ok(stale instanceof InterflowError);
  assert.deepEqual([stale.status, stale.code], [412, 'PRECONDITION_FAILED']);
  assert.deepEqual(deleted, { id: created.id, deleted: true });
  const gone = await interflow.customers.retrieve(created.id).catch((e) => e);
  assert.deepEqual([gone.status, gone.code], [404, 'NOT_FOUND']);
});

test('channels, messages and chats: a sandbox send opens a chat that lists it', async () => {
  const { interflow } = await newClient();
  const channel = await interflow.channels.create({ name: 'Loja', kind: 'sandbox', messages_per_second: 50 });
  const to = uniquePhone();
  const message = await interflow.messages.send({ channel_id: channel.id, to, type: 'text', content: { text: 'Pedido confirmado' }, metadata: { order: 42 } });
  const readMessage = await interflow.messages.retrieve(message.id);
  const chat = await interflow.chats.open({ channel_id: channel.id, phone: to });
  const chats = await interflow.chats.list({ channel_id: channel.id, status: 'open' });
  const history = await interflow.chats.listMessages(chat.id, { order: 'desc' });
  const all = [];
  for await (const item of interflow.chats.listAllMessages(chat.id)) all.push(item.id);
  const closed = await interflow.chats.update(chat.id, { status: 'closed' }, { ifMatch: (await interflow.chats.retrieve(chat.id)).etag });
  const channels = await interflow.channels.list();
  const readChannel = await interflow.channels.retrieve(channel.id);

  assertShape(channel, 'ChannelView');
  assertShape(readChannel, 'ChannelView');
  assertShape(message, 'MessageView');
  assertShape(readMessage, 'MessageView');
  assertShape(chat, 'ChatView');
  assertShape(closed, 'ChatView');
  assert.ok(['sent', 'queued'].includes(message.status), message.status);
  assert.deepEqual(readMessage.metadata, { order: 42 });
  assert.equal(chat.id, message.chat_id);
  assert.deepEqual(chats.data.map((c) => c.id), [chat.id]);
  assert.deepEqual(history.data.map((m) => m.id), [message.id]);
  assert.deepEqual(all, [message.id]);
  assert.deepEqual([closed.status, channels.total, readChannel.name], ['closed', 1, 'Loja']);
});

test('bulk: a job is submitted, read, and cancelled', async () => {
  const { interflow } = await newClient();
  const channel = await interflow.channels.create({ name: 'Campanha', kind: 'sandbox', messages_per_second: 1 });
  const recipients = Array.from({ length: 30 }, () => ({ to: uniquePhone(), variables: ['Ana'] }));
  const job = await interflow.bulk.submit({ channel_id: channel.id, type: 'text', content: { text: 'Olá {{1}}' }, recipients });
  const read = await interflow.bulk.retrieve(job.id);
  const cancelled = await interflow.bulk.cancel(job.id);

  assertShape(job, 'BulkJobView');
  assertShape(read, 'BulkJobView');
  assertShape(cancelled, 'BulkJobView');
  assert.deepEqual([job.total, read.id], [30, job.id]);
  assert.ok(cancelled.cancel_requested || cancelled.status === 'completed', JSON.stringify(cancelled));
});

test('webhooks: create shows the secret once, then read, update, list, test ping, deliveries and delete', async () => {
  const { interflow } = await newClient();
  const created = await interflow.webhooks.create({ url: sink, events: ['customer.created'], description: 'CRM' });
  const read = await interflow.webhooks.retrieve(created.id);
  const updated = await interflow.webhooks.update(created.id, { events: ['customer.created', 'message.read'] }, { ifMatch: read.etag });
  const list = await interflow.webhooks.list();
  const ping = await interflow.webhooks.test(created.id);
  const deliveries = await interflow.webhooks.listDeliveries(created.id);
  const all = [];
  for await (const delivery of interflow.webhooks.listAllDeliveries(created.id)) all.push(delivery.id);
  const deleted = await interflow.webhooks.del(created.id);

  assertShape(created, 'CreatedWebhookView');
  assertShape(read, 'WebhookView');
  assertShape(ping, 'DeliveryView');
  assert.deepEqual(Object.keys(ping.attempts[0]).sort(), Object.keys(openapi.components.schemas.DeliveryView.properties.attempts.items.properties).sort());
  assert.match(created.secret, /^whsec_/);
  assert.equal(read.secret, undefined);
  assert.deepEqual(updated.events, ['customer.created', 'message.read']);
  assert.deepEqual(list.data.map((w) => w.id), [created.id]);
  assert.deepEqual([ping.event_type, ping.status, ping.attempts[0].status_code], ['webhook.test', 'succeeded', 204]);
  assert.ok(deliveries.data.some((d) => d.id === ping.id));
  assert.ok(all.includes(ping.id));
  assert.deepEqual(deleted, { id: created.id, deleted: true });
});

test('the OpenAPI document the server serves', async () => {
  const { interflow } = await newClient();
  const document = JSON.parse(await interflow.getOpenApiDocument());
  assert.equal(document.openapi, '3.1.1');
  assert.ok(document.paths['/v1/messages/send']);
});

test('a 422 carries every invalid field, and the page meta has its schema fields', async () => {
  const { interflow } = await newClient({ language: 'en' });
  const error = await interflow.customers.create({ name: '', email: 'not an email' }).catch((e) => e);
  assert.ok(error instanceof InterflowError);
  assert.deepEqual([error.status, error.code], [422, 'VALIDATION_ERROR']);
  assert.ok(error.details.length >= 2, JSON.stringify(error.details));
  for (const detail of error.details) assert.deepEqual(Object.keys(detail).sort(), fieldsOf('ErrorDetail'));
  assert.ok(error.requestId);
  const page = await interflow.customers.list();
  assert.deepEqual(Object.keys(page).filter((k) => k !== 'data' && k !== 'has_more').sort(), fieldsOf('PageMeta'));
  assert.equal(page.lastResponse.status, 200);
});
