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

test('npm pack yields the built package: both builds with their types, the README, no sources or tests', async () => {
  const { execFileSync } = await import('node:child_process');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: new URL('..', import.meta.url), encoding: 'utf8' }));
  const files = packed.files.map((f) => f.path);
  for (const expected of ['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json']) {
    assert.ok(files.includes(expected), `${expected} is not in ${files.join(', ')}`);
  }
  assert.deepEqual(files.filter((f) => f.startsWith('src/') || f.startsWith('test/')), []);
});
