<?php

declare(strict_types=1);

namespace Interflow\Models;

/** An event as delivered to a webhook endpoint. */
final class WebhookEvent extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $type,
        public readonly string $created_at,
        /** @var array<string, mixed> */
        public readonly array $data,
    ) {
    }
}
