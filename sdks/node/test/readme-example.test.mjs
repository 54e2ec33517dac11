import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { baseUrl, newKey } from './harness.mjs';

test("the README's example (examples/quickstart.mjs) runs against the server", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [new URL('../examples/quickstart.mjs', import.meta.url).pathname], {
    env: { ...process.env, INTERFLOW_API_KEY: await newKey(), INTERFLOW_BASE_URL: baseUrl },
  });
  assert.match(stdout, /^message msg_\w+: (sent|queued)$/m);
  assert.match(stdout, /^customer \w+ 5511987654321$/m);
  assert.match(stdout, /^422 VALIDATION_ERROR: name/m);
});
