import { randomUUID } from 'node:crypto';
import { InterflowError } from './errors.js';

export const PRODUCTION_URL = 'https://api.interflow.chat';
export const SANDBOX_URL = 'https://sandbox.api.interflow.chat';

export interface InterflowOptions {
  /** An `ifk_live_` or `ifk_test_` key. */
  apiKey: string;
  /** Default {@link PRODUCTION_URL}; {@link SANDBOX_URL} is the sandbox. With or without `/v1`, as the reference writes it. */
  baseUrl?: string;
  /** Per try, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retries after the first try, on 409 (request in progress), 429, 503 and lost connections (default 3). */
  maxRetries?: number;
  /** First backoff when the API gives no Retry-After; it doubles, with jitter (default 500 ms). */
  retryDelayMs?: number;
  /** The longest wait before a retry: a Retry-After beyond it is raised at once, not cut short (default 30 000 ms). */
  maxRetryDelayMs?: number;
  /** Language of error messages: pt-BR by default, `en` for English. */
  language?: string;
  /** Another fetch (a proxy agent, a test double); default the global one. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** Your own key for a POST: every retry of this call carries it (one is made per call otherwise). */
  idempotencyKey?: string;
  /** The ETag of a read: the update is refused with 412 if the resource changed since. */
  ifMatch?: string;
  signal?: AbortSignal;
}

/** What the API answered besides the data: every result carries it as `lastResponse`. */
export interface ResponseInfo {
  /** The request's `X-Request-Id`: quote it to support. */
  requestId: string | null;
  /** 201 for a new chat, 200 for the open one it found; 201 or 202 for a send; …. */
  status: number;
  /** Where the account's rate limit stands after this request (`reset` in Unix seconds). */
  rateLimit: { limit: number; remaining: number; reset: number } | null;
  /** The stored answer to an earlier request with the same Idempotency-Key: nothing was done again. */
  idempotentReplayed: boolean;
}

/** A list's meta: page, per_page and total, or, in a walk by cursor, per_page and next_cursor. */
export interface Meta {
  page?: number;
  per_page: number;
  total?: number;
  next_cursor?: string | null;
}

/** What came back: the data, a list's meta, the ETag of a read, and the answer itself. */
export interface Answer<T> {
  data: T;
  meta?: Meta;
  etag: string | null;
  response: ResponseInfo;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/**
 * One call to the API: the key, the JSON, the envelope, errors as {@link InterflowError}, and retries. A POST
 * carries an Idempotency-Key that stays the same across its retries, so that a retried send or create happens once.
 */
export class Connection {
  private readonly options: Required<Omit<InterflowOptions, 'language' | 'fetch'>> & { language?: string; fetch: typeof fetch };

  constructor(options: InterflowOptions) {
    if (!options?.apiKey) throw new TypeError('apiKey is required');
    this.options = {
      baseUrl: apiRoot(options.baseUrl ?? PRODUCTION_URL),
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      retryDelayMs: options.retryDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
      apiKey: options.apiKey,
      language: options.language,
      fetch: options.fetch ?? globalThis.fetch,
    };
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query, options: RequestOptions = {}): Promise<Answer<T>> {
    const url = this.options.baseUrl + path + queryString(query);
    const idempotencyKey = method === 'POST' ? options.idempotencyKey ?? `ifn_${randomUUID().replaceAll('-', '')}` : undefined;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.apiKey}`,
      Accept: 'application/json',
    };
    if (this.options.language) headers['Accept-Language'] = this.options.language;
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    if (options.ifMatch) headers['If-Match'] = options.ifMatch;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = 'application/json';

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await this.options.fetch(url, {
          method, headers, body: payload,
          signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(this.options.timeoutMs)]) : AbortSignal.timeout(this.options.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // No answer (refused, reset, timed out): the same request, with the same key, is safe to send again.
        if (attempt < this.options.maxRetries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new InterflowError(0, InterflowError.UNEXPECTED_RESPONSE, `no answer from ${method} ${path}: ${(error as Error).message}`, { cause: error });
      }
      const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
      if (attempt < this.options.maxRetries && retryable(response.status, retryAfter) && !(retryAfter !== null && retryAfter * 1000 > this.options.maxRetryDelayMs)) {
        await sleep(retryAfter !== null ? retryAfter * 1000 : this.backoff(attempt));
        continue;
      }
      return read<T>(response, text, retryAfter);
    }
  }

  /** A GET whose answer is not the envelope (the OpenAPI document). */
  async text(path: string): Promise<string> {
    const response = await this.options.fetch(this.options.baseUrl + path, {
      headers: { Authorization: `Bearer ${this.options.apiKey}` }, signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) read(response, text, retryAfterSeconds(response.headers.get('retry-after')));
    return text;
  }

  private backoff(attempt: number): number {
    const exponential = this.options.retryDelayMs * 2 ** attempt;
    return Math.min(this.options.maxRetryDelayMs, exponential / 2 + Math.random() * exponential / 2);
  }
}

/** 429 and 503 always; 409 only with Retry-After (the same Idempotency-Key still in progress): other conflicts are final. */
function retryable(status: number, retryAfter: number | null): boolean {
  return status === 429 || status === 503 || (status === 409 && retryAfter !== null);
}

function read<T>(response: Response, text: string, retryAfter: number | null): Answer<T> {
  const requestId = response.headers.get('x-request-id');
  let envelope: any;
  try {
    envelope = JSON.parse(text);
  } catch {
    envelope = undefined;
  }
  if (response.ok && envelope?.success === true && envelope.data !== undefined) {
    return { data: envelope.data as T, meta: envelope.meta, etag: response.headers.get('etag'), response: answered(response, requestId) };
  }
  if (envelope?.success === false && typeof envelope.error?.code === 'string') {
    throw new InterflowError(response.status, envelope.error.code, envelope.error.message ?? '', {
      details: envelope.error.details ?? [], requestId, retryAfter,
    });
  }
  throw new InterflowError(response.status, InterflowError.UNEXPECTED_RESPONSE,
    `HTTP ${response.status} without the API's envelope: ${text.length > 200 ? text.slice(0, 200) + '…' : text}`, { requestId, retryAfter });
}

function answered(response: Response, requestId: string | null): ResponseInfo {
  const number = (name: string) => {
    const value = response.headers.get(name);
    return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : null;
  };
  const [limit, remaining, reset] = [number('x-ratelimit-limit'), number('x-ratelimit-remaining'), number('x-ratelimit-reset')];
  return {
    requestId,
    status: response.status,
    rateLimit: limit !== null && remaining !== null && reset !== null ? { limit, remaining, reset } : null,
    idempotentReplayed: response.headers.get('idempotent-replayed')?.toLowerCase() === 'true',
  };
}

/**
 * The API's root, whichever way it was written: the reference gives the base URL as `https://api.interflow.chat/v1`,
 * and every path here starts with `/v1`, so a trailing `/v1` (and any trailing slash) is dropped.
 */
export function apiRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/i, '').replace(/\/+$/, '');
}

function retryAfterSeconds(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function queryString(query?: Query): string {
  if (!query) return '';
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) parameters.set(name, String(value));
  }
  const text = parameters.toString();
  return text ? `?${text}` : '';
}

/** A path of segments, each escaped (ids come from callers). */
export function pathOf(collection: string, ...segments: string[]): string {
  return collection + segments.map((s) => '/' + encodeURIComponent(s)).join('');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
