import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateTestHeaders, WebhookVerificationError, WebhookVerifier } from '../dist/esm/index.js';
import { fieldsOf, vectors } from './harness.mjs';

for (const vector of vectors.vectors) {
  test(`webhook vector: ${vector.name} is ${vector.valid ? 'accepted' : 'refused'}`, () => {
    const verifier = new WebhookVerifier(vector.secret, { toleranceSeconds: vectors.tolerance_seconds, now: () => vector.now * 1000 });
    if (vector.valid) {
      const event = verifier.verify(vector.headers, vector.body);
      assert.deepEqual([event.id, event.type], [vectors.event.id, vectors.event.type]);
      // The raw bytes verify as the string does, and a fetch Headers object as a plain one.
      assert.equal(verifier.verify(new Headers(vector.headers), Buffer.from(vector.body, 'utf8')).id, vectors.event.id);
    } else {
      assert.throws(() => verifier.verify(vector.headers, vector.body), WebhookVerificationError);
    }
  });
}

test('the vectors hold at least ten forged or stale deliveries', () => {
  assert.ok(vectors.vectors.filter((v) => !v.valid).length >= 10);
});

test('generateTestHeaders signs as the server does: the signed vector, byte for byte', () => {
  const signed = vectors.vectors.find((v) => v.name === 'signed now');
  const headers = generateTestHeaders({ payload: signed.body, secret: signed.secret, id: signed.headers['webhook-id'], timestamp: Number(signed.headers['webhook-timestamp']) });
  assert.deepEqual(headers, signed.headers);
});

const dataSchemas = { message: 'MessageView', chat: 'ChatView', customer: 'CustomerView', bulk: 'BulkJobView' };

for (const sample of vectors.events) {
  test(`a ${sample.type} event, signed for a test, verifies to its type with its resource as data`, () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const event = new WebhookVerifier(secret).verify(generateTestHeaders({ payload: sample.body, secret }), sample.body);
    assert.equal(event.type, sample.type);
    const schema = dataSchemas[sample.type.split('.')[0]];
    if (event.type === 'webhook.test') assert.match(event.data.webhook_id, /^wh_/);
    else assert.deepEqual(Object.keys(event.data).sort(), fieldsOf(schema));
  });
}
