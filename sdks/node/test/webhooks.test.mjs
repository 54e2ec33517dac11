import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebhookVerificationError, WebhookVerifier } from '../dist/esm/index.js';
import { vectors } from './harness.mjs';

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
