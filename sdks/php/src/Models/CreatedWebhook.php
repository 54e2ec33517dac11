<?php

declare(strict_types=1);

namespace Interflow\Models;

/** The one answer that shows the endpoint's whsec_ secret: keep it to verify deliveries. */
final class CreatedWebhook extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $url,
        /** @var list<string> */
        public readonly array $events,
        public readonly ?string $description,
        public readonly bool $enabled,
        #[\SensitiveParameter]
        public readonly string $secret,
        public readonly string $created_at,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
