import { Connection, PRODUCTION_URL, SANDBOX_URL, type InterflowOptions } from './connection.js';
import { Bulk, Channels, Chats, Customers, Messages, Webhooks } from './resources.js';

/**
 * The Interflow API, typed: one object per resource.
 * ```ts
 * const interflow = new Interflow({ apiKey: process.env.INTERFLOW_API_KEY!, baseUrl: Interflow.SANDBOX_URL });
 * const customer = await interflow.customers.create({ name: 'João Silva', phone: '5511999999999' });
 * ```
 */
export class Interflow {
  static readonly PRODUCTION_URL = PRODUCTION_URL;
  static readonly SANDBOX_URL = SANDBOX_URL;

  readonly customers: Customers;
  readonly channels: Channels;
  readonly messages: Messages;
  readonly bulk: Bulk;
  readonly chats: Chats;
  readonly webhooks: Webhooks;
  private readonly api: Connection;

  constructor(options: InterflowOptions) {
    this.api = new Connection(options);
    this.customers = new Customers(this.api);
    this.channels = new Channels(this.api);
    this.messages = new Messages(this.api);
    this.bulk = new Bulk(this.api);
    this.chats = new Chats(this.api);
    this.webhooks = new Webhooks(this.api);
  }

  /** The API's OpenAPI 3.1 document (GET /v1/openapi.json), as JSON text. */
  getOpenApiDocument(): Promise<string> {
    return this.api.text('/v1/openapi.json');
  }
}

export default Interflow;
export { PRODUCTION_URL, SANDBOX_URL } from './connection.js';
export type { InterflowOptions, RequestOptions, ResponseInfo } from './connection.js';
export { InterflowError, WebhookVerificationError } from './errors.js';
export { WebhookVerifier, generateTestHeaders, type WebhookEvent, type EventOf, type WebhookHeaders, type WebhookVerifierOptions } from './webhooks.js';
export type { Page } from './paging.js';
export type { Result, CustomerFilter, ChatFilter, ChatMessagesFilter } from './resources.js';
export { Customers, Channels, Messages, Bulk, Chats, Webhooks } from './resources.js';
export type * from './models.js';
