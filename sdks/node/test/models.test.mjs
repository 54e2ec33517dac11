import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { generateModels } from '../scripts/generate-models.mjs';
import * as esm from '../dist/esm/index.js';
import { openapi, schemaNames } from './harness.mjs';

test('src/models.ts is what docs/openapi.json generates (npm run generate after a change)', () => {
  const committed = readFileSync(new URL('../src/models.ts', import.meta.url), 'utf8');
  assert.equal(committed, generateModels(openapi, schemaNames.names));
});

test('every schema of the document has a model', () => {
  const schemas = Object.keys(openapi.components.schemas).filter((name) => name !== 'ErrorEnvelope').sort();
  assert.deepEqual(Object.keys(schemaNames.names).sort(), schemas);
});

test('the CommonJS build exports what the ES module build does', () => {
  const cjs = createRequire(import.meta.url)('../dist/cjs/index.js');
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(esm).sort());
  assert.equal(cjs.Interflow.SANDBOX_URL, 'https://sandbox.api.interflow.chat');
  assert.equal(esm.PRODUCTION_URL, openapi.servers[0].url);
  assert.equal(esm.SANDBOX_URL, openapi.servers[1].url);
});
