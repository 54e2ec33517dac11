// Generated from docs/openapi.json by scripts/generate-models.mjs: do not edit by hand.

export interface Customer {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  tags: string[];
  custom_fields: Record<string, string | number | boolean>;
  created_at: string;
  updated_at: string;
}

export interface NewCustomer {
  name: string;
  /** Unique per account and environment, case-insensitively */
  email?: string | null;
  /** E.164 digits without '+' (a leading '+' is accepted), a real number; unique per account and environment */
  phone?: string | null;
  tags?: string[] | null;
  /** Your own fields: keys of 1-100 characters, scalar values */
  custom_fields?: Record<string, string | number | boolean> | null;
}

/** Fields present replace the stored ones; custom_fields merge key by key, and a null value removes a key */
export interface CustomerChanges {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  tags?: string[] | null;
  custom_fields?: Record<string, string | number | boolean | null> | null;
}

export interface Deleted {
  id: string;
  deleted: boolean;
}

export interface Channel {
  id: string;
  name: string;
  kind: "sandbox" | "whatsapp_cloud";
  messages_per_second: number;
  whatsapp: {
    phone_number_id: string;
  } | null;
  webhook_path: string | null;
  created_at: string;
}

export interface NewChannel {
  name: string;
  kind: "sandbox" | "whatsapp_cloud";
  /** How fast bulk sends may go (default 80) */
  messages_per_second?: number | null;
  /** Required for whatsapp_cloud, refused for sandbox; stored, never returned */
  whatsapp?: {
    phone_number_id: string;
    access_token: string;
    app_secret: string;
    verify_token: string;
  } | null;
}

export interface Message {
  id: string;
  status: "queued" | "sent" | "delivered" | "read" | "failed" | "received";
  channel_id: string;
  chat_id: string;
  customer_id: string;
  direction: "outbound" | "inbound";
  to: string | null;
  from: string | null;
  type: "text" | "image" | "video" | "audio" | "document" | "location" | "template";
  content: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  error: {
    code: string;
    message: string;
  } | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
}

export interface SendMessage {
  channel_id: string;
  /** The recipient: E.164 digits without '+', a real number */
  to: string;
  type: "text" | "image" | "video" | "audio" | "document" | "location" | "template";
  /** As the type says: text, media (image, video, audio, document), location or template */
  content: TextContent | MediaContent | LocationContent | TemplateContent;
  /** An open chat of this customer on this channel; by default the open one, opened when there is none */
  chat_id?: string | null;
  /** Your own JSON object, kept with the message */
  metadata?: Record<string, unknown> | null;
}

/** type text */
export interface TextContent {
  /** Tab and line breaks allowed */
  text: string;
}

/** type image, video, audio or document (audio takes no caption, only document a filename) */
export interface MediaContent {
  /** An absolute https URL */
  url: string;
  caption?: string | null;
  filename?: string | null;
}

/** type location */
export interface LocationContent {
  latitude: number;
  longitude: number;
  name?: string | null;
  address?: string | null;
}

/** type template: an approved WhatsApp template */
export interface TemplateContent {
  name: string;
  /** pt_BR, en_US, es, … */
  language: string;
  variables?: string[] | null;
}

export interface BulkJob {
  id: string;
  channel_id: string;
  status: "queued" | "processing" | "completed" | "cancelled";
  total: number;
  queued: number;
  sent: number;
  failed: number;
  cancelled: number;
  cancel_requested: boolean;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** Either shared content with per-recipient variables (type, content, recipients), or a list of full messages (messages) */
export interface BulkSend {
  channel_id: string;
  /** With recipients: the shared type */
  type?: "text" | "image" | "video" | "audio" | "document" | "location" | "template" | null;
  /** With recipients: the shared content; {{1}}, {{2}}… in a text take each recipient's variables, as a template's variables do */
  content?: TextContent | MediaContent | LocationContent | TemplateContent | null;
  recipients?: Array<{
    /** E.164 digits without '+', a real number */
    to: string;
    variables?: string[] | null;
  }> | null;
  messages?: Array<{
    to: string;
    type: "text" | "image" | "video" | "audio" | "document" | "location" | "template";
    content: TextContent | MediaContent | LocationContent | TemplateContent;
  }> | null;
}

export interface Chat {
  id: string;
  channel_id: string;
  customer_id: string;
  status: "open" | "closed";
  last_message_at: string | null;
  unread_count: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface NewChat {
  channel_id: string;
  customer_id?: string | null;
  /** E.164 digits without '+': the customer is found or created by it */
  phone?: string | null;
}

export interface ChatChanges {
  /** Close or reopen */
  status?: "open" | "closed" | null;
  /** 0 marks the chat read */
  unread_count?: number | null;
}

export interface Webhook {
  id: string;
  url: string;
  events: Array<"*" | "message.sent" | "message.delivered" | "message.read" | "message.failed" | "message.received" | "chat.created" | "chat.closed" | "customer.created" | "customer.updated" | "customer.deleted" | "bulk.completed">;
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface CreatedWebhook {
  id: string;
  url: string;
  events: Array<"*" | "message.sent" | "message.delivered" | "message.read" | "message.failed" | "message.received" | "chat.created" | "chat.closed" | "customer.created" | "customer.updated" | "customer.deleted" | "bulk.completed">;
  description: string | null;
  enabled: boolean;
  secret: string;
  created_at: string;
}

export interface NewWebhook {
  /** https, to a public address (plain http to loopback only when the app runs locally) */
  url: string;
  events: Array<"*" | "message.sent" | "message.delivered" | "message.read" | "message.failed" | "message.received" | "chat.created" | "chat.closed" | "customer.created" | "customer.updated" | "customer.deleted" | "bulk.completed">;
  description?: string | null;
}

export interface WebhookChanges {
  url?: string | null;
  events?: Array<"*" | "message.sent" | "message.delivered" | "message.read" | "message.failed" | "message.received" | "chat.created" | "chat.closed" | "customer.created" | "customer.updated" | "customer.deleted" | "bulk.completed"> | null;
  description?: string | null;
  /** false pauses deliveries; true (or a successful test ping) resumes them */
  enabled?: boolean | null;
}

export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: "webhook.test" | "message.sent" | "message.delivered" | "message.read" | "message.failed" | "message.received" | "chat.created" | "chat.closed" | "customer.created" | "customer.updated" | "customer.deleted" | "bulk.completed";
  status: "pending" | "succeeded" | "failed";
  attempts: Array<{
    at: string;
    status_code: number | null;
    error: string | null;
    duration_ms: number;
  }>;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface PageMeta {
  page: number;
  per_page: number;
  total: number;
}

export interface CursorMeta {
  per_page: number;
  next_cursor: string | null;
}
