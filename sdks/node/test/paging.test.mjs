import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fieldsOf, newClient, uniquePhone } from './harness.mjs';

test('auto-paging over 250 customers yields each id once', async () => {
  const { interflow } = await newClient();
  const created = [];
  for (let batch = 0; batch < 25; batch++) {
    created.push(...await Promise.all(Array.from({ length: 10 }, (_, i) =>
      interflow.customers.create({ name: `Cliente ${batch * 10 + i}`, email: `c${batch * 10 + i}@example.com` }))));
  }

  const seen = [];
  for await (const customer of interflow.customers.listAll()) seen.push(customer.id);
  const first = await interflow.customers.list({ per_page: 100 });

  assert.equal(seen.length, 250);
  assert.equal(new Set(seen).size, 250);
  assert.deepEqual([...seen].sort(), created.map((c) => c.id).sort());
  assert.deepEqual([first.total, first.data.length, first.has_more], [250, 100, true]);
});

test('listAll returns each customer that stays exactly once while others are deleted and added', async () => {
  const { interflow } = await newClient();
  const tag = `walk${randomUUID().slice(0, 8)}`;
  const created = [];
  for (let batch = 0; batch < 23; batch++) {
    created.push(...await Promise.all(Array.from({ length: 10 }, () => interflow.customers.create({ name: 'Cliente', phone: uniquePhone(), tags: [tag] }))));
  }

  const listed = [];
  const deleted = new Set();
  for await (const customer of interflow.customers.listAll({ tag })) {
    listed.push(customer.id);
    if (listed.length === 50) {
      // Twenty already listed go, and two come: numbered pages would now start twenty items later.
      for (const id of listed.slice(0, 20)) {
        await interflow.customers.del(id);
        deleted.add(id);
      }
      for (let i = 0; i < 2; i++) await interflow.customers.create({ name: 'Nova', phone: uniquePhone(), tags: [tag] });
    }
  }

  const stayed = created.map((c) => c.id).filter((id) => !deleted.has(id)).sort();
  assert.deepEqual(listed.filter((id) => !deleted.has(id)).sort(), stayed);
  assert.equal(new Set(listed).size, listed.length);
});

test('a page of a walk has next_cursor and per_page, neither page nor total', async () => {
  const { interflow } = await newClient();
  for (let i = 0; i < 3; i++) await interflow.customers.create({ name: 'Cliente', phone: uniquePhone() });

  const first = await interflow.customers.list({ cursor: '', per_page: 2 });
  const last = await interflow.customers.list({ cursor: first.next_cursor, per_page: 2 });

  assert.deepEqual(Object.keys(first).filter((k) => k !== 'data' && k !== 'has_more').sort(), fieldsOf('CursorMeta'));
  assert.deepEqual([first.data.length, first.has_more, last.data.length, last.has_more, last.next_cursor], [2, true, 1, false, null]);
});
