import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';
import type { BulkJob, Chat, Customer, Message } from './models.js';

/** An event of one type: `data` is the resource as the API answers it. */
export interface EventOf<Type extends string, Data> {
  id: string;
  type: Type;
  created_at: string;
  data: Data;
}

/**
 * An event as delivered to a webhook endpoint: narrow on `type` and `data` is typed.
 * ```ts
 * if (event.type === 'message.delivered') console.log(event.data.delivered_at);
 * ```
 */
export type WebhookEvent =
  | EventOf<'message.sent' | 'message.delivered' | 'message.read' | 'message.failed' | 'message.received', Message>
  | EventOf<'chat.created' | 'chat.closed', Chat>
  | EventOf<'customer.created' | 'customer.updated' | 'customer.deleted', Customer>
  | EventOf<'bulk.completed', BulkJob>
  | EventOf<'webhook.test', { webhook_id: string }>;

/** The three headers of a delivery. */
export type WebhookHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

/**
 * Signs a payload as the API signs a delivery (Stripe's `generateTestHeaderString`), to test a webhook handler
 * without the API: the headers verify with {@link WebhookVerifier} and the same secret.
 */
export function generateTestHeaders(options: { payload: string; secret: string; id?: string; timestamp?: number }): WebhookHeaders {
  const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', keyOf(options.secret)).update(`${id}.${timestamp}.${options.payload}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

function keyOf(secret: string): Buffer {
  const base64 = secret?.startsWith('whsec_') ? secret.slice(6) : secret;
  if (!base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new TypeError('the secret is not a whsec_ secret');
  return Buffer.from(base64, 'base64');
}

export interface WebhookVerifierOptions {
  /** How far the timestamp may be from now, either way, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The clock, in milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null };

/**
 * Checks Standard Webhooks signatures: `webhook-signature` holds one or more `v1,`+base64 HMAC-SHA256 of
 * `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64 part of the endpoint's `whsec_` secret. A timestamp
 * further than the tolerance from now is refused, so a captured delivery cannot be replayed later; within it, dedupe
 * by the event's id (deliveries are at least once). Give it the raw body, exactly as received.
 */
export class WebhookVerifier {
  private readonly key: Buffer;
  private readonly toleranceSeconds: number;
  private readonly now: () => number;

  constructor(secret: string, options: WebhookVerifierOptions = {}) {
    this.key = keyOf(secret);
    this.toleranceSeconds = options.toleranceSeconds ?? 300;
    this.now = options.now ?? Date.now;
  }

  /** The verified event; throws {@link WebhookVerificationError} when the delivery is not from the API, or too old. */
  verify(headers: Headers, body: string | Uint8Array): WebhookEvent {
    const id = header(headers, 'webhook-id');
    const timestamp = header(headers, 'webhook-timestamp');
    const signatures = header(headers, 'webhook-signature');
    if (!/^\d{1,15}$/.test(timestamp)) throw new WebhookVerificationError('webhook-timestamp is not a Unix time in seconds');
    const age = Math.abs(this.now() / 1000 - Number(timestamp));
    if (age > this.toleranceSeconds) {
      throw new WebhookVerificationError(`webhook-timestamp is ${Math.round(age)} s from now, beyond the tolerance of ${this.toleranceSeconds} s`);
    }
    const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    const expected = createHmac('sha256', this.key).update(`${id}.${timestamp}.`).update(raw).digest();
    // Other versions than v1 may be sent beside it; they are not ours to check.
    const matched = signatures.split(' ').filter((s) => s.startsWith('v1,')).some((s) => {
      const given = decodeBase64(s.slice(3));
      return given !== null && given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matched) throw new WebhookVerificationError('no webhook-signature matches the body with this secret');
    try {
      return JSON.parse(raw.toString('utf8')) as WebhookEvent;
    } catch {
      throw new WebhookVerificationError('the body is not an event');
    }
  }
}

function header(headers: Headers, name: string): string {
  let value: string | string[] | null | undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    value = (headers as { get(name: string): string | null }).get(name);
  } else {
    const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
    value = found?.[1] as string | string[] | undefined;
  }
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) throw new WebhookVerificationError(`the ${name} header is missing`);
  return text;
}

function decodeBase64(text: string): Buffer | null {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : null;
}
