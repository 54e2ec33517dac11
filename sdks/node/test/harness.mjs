// What every test needs from the SDK harness (tests/Interflow.Sdks.Tests): the test server behind its fault proxy,
// fresh accounts through the admin routes, and the OpenAPI document to hold results to.
import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { Interflow } from '../dist/esm/index.js';

const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through tests/Interflow.Sdks.Tests (dotnet test)`);
  return value;
};

export const baseUrl = required('INTERFLOW_TEST_BASE_URL');
export const sink = required('INTERFLOW_TEST_SINK');
export const openapi = JSON.parse(readFileSync(required('INTERFLOW_OPENAPI'), 'utf8'));
export const vectors = JSON.parse(readFileSync(required('INTERFLOW_WEBHOOK_VECTORS'), 'utf8'));
export const schemaNames = JSON.parse(readFileSync(new URL('../../schema-names.json', import.meta.url), 'utf8'));

async function admin(path, body) {
  const response = await fetch(`${baseUrl}/${path}`, {
    method: 'POST',
    headers: { 'x-functions-key': required('INTERFLOW_TEST_ADMIN_KEY'), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()).data;
}

/** A test key of a fresh account (sandbox data). */
export async function newKey(plan = 'enterprise') {
  const account = await admin('manage/accounts', { name: `Node SDK ${plan}`, plan });
  return (await admin(`manage/accounts/${account.id}/keys`, { name: 'node', environment: 'test' })).secret;
}

/** A client for a fresh account, with quick backoff: what is tested is which calls are retried, not how long they wait. */
export async function newClient(options = {}) {
  const apiKey = await newKey(options.plan);
  return { interflow: new Interflow({ apiKey, baseUrl, retryDelayMs: 20, ...options }), key: apiKey };
}

/** The proxy answers this key's next requests with these faults, in order: `{ lose: true }` or `{ status, retry_after, body }`. */
export async function faults(key, ...list) {
  const response = await fetch(`${baseUrl}/_faults`, { method: 'POST', body: JSON.stringify({ key, faults: list }) });
  if (!response.ok) throw new Error(`faults: ${response.status}`);
}

/** Every request the proxy saw with this key, oldest first. */
export async function requests(key) {
  return (await fetch(`${baseUrl}/_requests?key=${encodeURIComponent(key)}`)).json();
}

/** A Brazilian mobile number no other test uses (never the sandbox's test endings 0000 and 0001). */
export function uniquePhone() {
  return `55119${String(randomInt(10_000_000, 99_999_999))}`.replace(/000[01]$/, '1234');
}

/** The property names of a schema of the document. */
export function fieldsOf(schema) {
  return Object.keys(openapi.components.schemas[schema].properties).sort();
}

export const IN_PROGRESS = JSON.stringify({ success: false, error: { code: 'CONFLICT', message: 'A request with this Idempotency-Key is still being processed' } });
export const UNAVAILABLE = JSON.stringify({ success: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'Service temporarily unavailable; please retry' } });
export const RATE_LIMITED = JSON.stringify({ success: false, error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit exceeded' } });
