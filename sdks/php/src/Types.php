<?php

declare(strict_types=1);

namespace Interflow;

/**
 * What you send: the request bodies of docs/openapi.json as array shapes (Psalm and PHPStan read them), snake_case
 * as on the wire. A key left out is not sent; tests/TypesTest.php holds each shape to its schema.
 *
 * @psalm-type TextContent = array{text: string}
 * @psalm-type MediaContent = array{url: string, caption?: ?string, filename?: ?string}
 * @psalm-type LocationContent = array{latitude: float, longitude: float, name?: ?string, address?: ?string}
 * @psalm-type TemplateContent = array{name: string, language: string, variables?: ?list<string>}
 * @psalm-type NewCustomer = array{name: string, email?: ?string, phone?: ?string, tags?: ?list<string>, custom_fields?: ?array<string, string|int|float|bool>}
 * @psalm-type CustomerChanges = array{name?: ?string, email?: ?string, phone?: ?string, tags?: ?list<string>, custom_fields?: ?array<string, string|int|float|bool|null>}
 * @psalm-type NewChannel = array{name: string, kind: string, messages_per_second?: ?int, whatsapp?: ?array{phone_number_id: string, access_token: string, app_secret: string, verify_token: string}}
 * @psalm-type SendMessage = array{channel_id: string, to: string, type: string, content: array<string, mixed>, chat_id?: ?string, metadata?: ?array<string, mixed>}
 * @psalm-type BulkSend = array{channel_id: string, type?: ?string, content?: ?array<string, mixed>, recipients?: ?list<array{to: string, variables?: ?list<string>}>, messages?: ?list<array{to: string, type: string, content: array<string, mixed>}>}
 * @psalm-type NewChat = array{channel_id: string, customer_id?: ?string, phone?: ?string}
 * @psalm-type ChatChanges = array{status?: ?string, unread_count?: ?int}
 * @psalm-type NewWebhook = array{url: string, events: list<string>, description?: ?string}
 * @psalm-type WebhookChanges = array{url?: ?string, events?: ?list<string>, description?: ?string, enabled?: ?bool}
 */
final class Types
{
    private function __construct()
    {
    }
}
