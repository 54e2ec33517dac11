import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newClient } from './harness.mjs';

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
