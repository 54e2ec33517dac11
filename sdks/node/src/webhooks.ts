import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';

/** An event as delivered to a webhook endpoint. */
export interface WebhookEvent<T = Record<string, unknown>> {
  id: string;
  type: string;
  created_at: string;
  data: T;
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
    const base64 = secret?.startsWith('whsec_') ? secret.slice(6) : secret;
    if (!base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new TypeError('the secret is not a whsec_ secret');
    this.key = Buffer.from(base64, 'base64');
    this.toleranceSeconds = options.toleranceSeconds ?? 300;
    this.now = options.now ?? Date.now;
  }

  /** The verified event; throws {@link WebhookVerificationError} when the delivery is not from the API, or too old. */
  verify<T = Record<string, unknown>>(headers: Headers, body: string | Uint8Array): WebhookEvent<T> {
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
      return JSON.parse(raw.toString('utf8')) as WebhookEvent<T>;
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
