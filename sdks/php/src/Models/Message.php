<?php

declare(strict_types=1);

namespace Interflow\Models;

/** A message, outbound or inbound, with its delivery status. */
final class Message extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $status,
        public readonly string $channel_id,
        public readonly string $chat_id,
        public readonly string $customer_id,
        public readonly string $direction,
        public readonly ?string $to,
        public readonly ?string $from,
        public readonly string $type,
        /** @var array<string, mixed> */
        public readonly array $content,
        /** @var ?array<string, mixed> */
        public readonly ?array $metadata,
        public readonly ?MessageError $error,
        public readonly string $created_at,
        public readonly string $updated_at,
        public readonly ?string $sent_at,
        public readonly ?string $delivered_at,
        public readonly ?string $read_at,
        public readonly ?string $failed_at,
        public readonly ?string $etag = null,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
