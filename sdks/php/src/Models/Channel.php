<?php

declare(strict_types=1);

namespace Interflow\Models;

/** A sending channel: the sandbox, or a WhatsApp Cloud number. */
final class Channel extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $name,
        public readonly string $kind,
        public readonly int $messages_per_second,
        public readonly ?WhatsAppNumber $whatsapp,
        public readonly ?string $webhook_path,
        public readonly string $created_at,
        public readonly ?string $etag = null,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
