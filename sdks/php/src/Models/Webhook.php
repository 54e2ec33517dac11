<?php

declare(strict_types=1);

namespace Interflow\Models;

/** A webhook endpoint (its secret is shown only when it is created). */
final class Webhook extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $url,
        /** @var list<string> */
        public readonly array $events,
        public readonly ?string $description,
        public readonly bool $enabled,
        public readonly ?string $disabled_reason,
        public readonly string $created_at,
        public readonly string $updated_at,
        public readonly ?string $etag = null,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
