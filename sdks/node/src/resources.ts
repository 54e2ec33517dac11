import { Connection, pathOf, type Answer, type RequestOptions, type ResponseInfo } from './connection.js';
import { everyItem, pageOf, PER_PAGE_ALL, type Page } from './paging.js';
import type * as m from './models.js';

/**
 * A result, with what came back besides its fields: the ETag of a read (for `ifMatch`) and the answer that carried it.
 * Both ride on it without being enumerable, so the object stays exactly its schema (JSON.stringify too).
 */
export type Result<T> = T & { readonly etag?: string | null; readonly lastResponse: ResponseInfo };

function resultOf<T>(answer: Answer<T>): Result<T> {
  Object.defineProperty(answer.data, 'etag', { value: answer.etag, enumerable: false });
  Object.defineProperty(answer.data, 'lastResponse', { value: answer.response, enumerable: false });
  return answer.data as Result<T>;
}

/** A numbered page, or, with `cursor` ('' for its first page, then a page's `next_cursor`), a page of a walk. */
type Paging = { page?: number; per_page?: number; cursor?: string };
export type CustomerFilter = Paging & { search?: string; tag?: string; email?: string; phone?: string };
export type ChatFilter = Paging & { status?: 'open' | 'closed'; channel_id?: string; customer_id?: string };
export type ChatMessagesFilter = Paging & { order?: 'asc' | 'desc' };

abstract class Resource {
  constructor(protected readonly api: Connection) {}

  protected async read<T>(path: string, query?: Record<string, any>, options?: RequestOptions) {
    return resultOf(await this.api.request<T>('GET', path, undefined, query, options));
  }

  protected async write<T>(method: string, path: string, body: unknown, options?: RequestOptions) {
    return resultOf(await this.api.request<T>(method, path, body, undefined, options));
  }

  protected async page<T>(path: string, query?: Record<string, any>, options?: RequestOptions): Promise<Page<T>> {
    return pageOf(await this.api.request<T[]>('GET', path, undefined, query, options));
  }
}

export class Customers extends Resource {
  create(customer: m.NewCustomer, options?: RequestOptions) { return this.write<m.Customer>('POST', '/v1/customers', customer, options); }
  retrieve(id: string, options?: RequestOptions) { return this.read<m.Customer>(pathOf('/v1/customers', id), undefined, options); }
  /** Fields given replace the stored ones; `ifMatch` (a read's etag) refuses the update if it changed since. */
  update(id: string, changes: m.CustomerChanges, options?: RequestOptions) { return this.write<m.Customer>('PUT', pathOf('/v1/customers', id), changes, options); }
  del(id: string, options?: RequestOptions) { return this.write<m.Deleted>('DELETE', pathOf('/v1/customers', id), undefined, options); }
  list(filter: CustomerFilter = {}, options?: RequestOptions): Promise<Page<m.Customer>> { return this.page<m.Customer>('/v1/customers', filter, options); }
  /** Every customer matching the filter, each once while others are added or deleted: `for await (const customer of interflow.customers.listAll())`. */
  listAll(filter: Omit<CustomerFilter, 'page' | 'per_page' | 'cursor'> = {}) {
    return everyItem((cursor) => this.list({ ...filter, cursor, per_page: PER_PAGE_ALL }));
  }
}

export class Channels extends Resource {
  create(channel: m.NewChannel, options?: RequestOptions) { return this.write<m.Channel>('POST', '/v1/channels', channel, options); }
  retrieve(id: string, options?: RequestOptions) { return this.read<m.Channel>(pathOf('/v1/channels', id), undefined, options); }
  list(filter: Paging = {}, options?: RequestOptions): Promise<Page<m.Channel>> { return this.page<m.Channel>('/v1/channels', filter, options); }
  listAll() { return everyItem((cursor) => this.list({ cursor, per_page: PER_PAGE_ALL })); }
}

export class Messages extends Resource {
  /** 201 with status `sent`, or 202 `queued` when the provider was slow; either way the message exists once per idempotency key. */
  send(message: m.SendMessage, options?: RequestOptions) { return this.write<m.Message>('POST', '/v1/messages/send', message, options); }
  retrieve(id: string, options?: RequestOptions) { return this.read<m.Message>(pathOf('/v1/messages', id), undefined, options); }
}

export class Bulk extends Resource {
  submit(bulk: m.BulkSend, options?: RequestOptions) { return this.write<m.BulkJob>('POST', '/v1/messages/bulk', bulk, options); }
  retrieve(id: string, options?: RequestOptions) { return this.read<m.BulkJob>(pathOf('/v1/messages/bulk', id), undefined, options); }
  cancel(id: string, options?: RequestOptions) { return this.write<m.BulkJob>('POST', pathOf('/v1/messages/bulk', id, 'cancel'), undefined, options); }
}

export class Chats extends Resource {
  /** The open chat of the customer (or phone) on the channel, opened when there is none. */
  open(chat: m.NewChat, options?: RequestOptions) { return this.write<m.Chat>('POST', '/v1/chats', chat, options); }
  retrieve(id: string, options?: RequestOptions) { return this.read<m.Chat>(pathOf('/v1/chats', id), undefined, options); }
  update(id: string, changes: m.ChatChanges, options?: RequestOptions) { return this.write<m.Chat>('PUT', pathOf('/v1/chats', id), changes, options); }
  /** By latest activity; a walk by cursor goes by creation instead, newest first. */
  list(filter: ChatFilter = {}, options?: RequestOptions): Promise<Page<m.Chat>> { return this.page<m.Chat>('/v1/chats', filter, options); }
  listAll(filter: Omit<ChatFilter, 'page' | 'per_page' | 'cursor'> = {}) { return everyItem((cursor) => this.list({ ...filter, cursor, per_page: PER_PAGE_ALL })); }
  listMessages(id: string, filter: ChatMessagesFilter = {}, options?: RequestOptions): Promise<Page<m.Message>> {
    return this.page<m.Message>(pathOf('/v1/chats', id, 'messages'), filter, options);
  }
  listAllMessages(id: string, filter: Omit<ChatMessagesFilter, 'page' | 'per_page' | 'cursor'> = {}) {
    return everyItem((cursor) => this.listMessages(id, { ...filter, cursor, per_page: PER_PAGE_ALL }));
  }
}

export class Webhooks extends Resource {
  /** The answer carries the endpoint's `whsec_` secret, this once: keep it to verify deliveries. */
  create(webhook: m.NewWebhook, options?: RequestOptions) { return this.write<m.CreatedWebhook>('POST', '/v1/webhooks', webhook, options); }
  retrieve(id: string, options?: RequestOptions) { return this.read<m.Webhook>(pathOf('/v1/webhooks', id), undefined, options); }
  update(id: string, changes: m.WebhookChanges, options?: RequestOptions) { return this.write<m.Webhook>('PUT', pathOf('/v1/webhooks', id), changes, options); }
  del(id: string, options?: RequestOptions) { return this.write<m.Deleted>('DELETE', pathOf('/v1/webhooks', id), undefined, options); }
  /** Every endpoint of the account, on one page. */
  list(options?: RequestOptions): Promise<Page<m.Webhook>> { return this.page<m.Webhook>('/v1/webhooks', undefined, options); }
  /** A `webhook.test` event delivered now; a success re-enables a disabled endpoint. */
  test(id: string, options?: RequestOptions) { return this.write<m.WebhookDelivery>('POST', pathOf('/v1/webhooks', id, 'test'), undefined, options); }
  listDeliveries(id: string, filter: Paging = {}, options?: RequestOptions): Promise<Page<m.WebhookDelivery>> {
    return this.page<m.WebhookDelivery>(pathOf('/v1/webhooks', id, 'deliveries'), filter, options);
  }
  listAllDeliveries(id: string) { return everyItem((cursor) => this.listDeliveries(id, { cursor, per_page: PER_PAGE_ALL })); }
}
