import type { ErrorDetail } from './models.js';

/**
 * An error answer of the API: its HTTP status, its `code` (`VALIDATION_ERROR`, `NOT_FOUND`, …), the message and
 * every invalid field. An answer outside the API's envelope (a proxy's page, a lost connection after the retries)
 * has the code `UNEXPECTED_RESPONSE` (status 0 when no answer came at all).
 */
export class InterflowError extends Error {
  static readonly UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** The answer's X-Request-Id, to quote to support. */
  readonly requestId: string | null;
  /** How long the API asked to wait, in seconds (429, 503, a request still in progress). */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, options: {
    details?: ErrorDetail[]; requestId?: string | null; retryAfter?: number | null; cause?: unknown;
  } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InterflowError';
    this.status = status;
    this.code = code;
    this.details = options.details ?? [];
    this.requestId = options.requestId ?? null;
    this.retryAfter = options.retryAfter ?? null;
  }
}

/** A webhook delivery that did not prove it came from the API: a missing header, a bad signature, a stale timestamp. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}
