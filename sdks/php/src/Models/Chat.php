<?php

declare(strict_types=1);

namespace Interflow\Models;

/** A conversation of a customer on a channel. */
final class Chat extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $channel_id,
        public readonly string $customer_id,
        public readonly string $status,
        public readonly ?string $last_message_at,
        public readonly int $unread_count,
        public readonly string $created_at,
        public readonly string $updated_at,
        public readonly ?string $closed_at,
        public readonly ?string $etag = null,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
