<?php

declare(strict_types=1);

namespace Interflow\Models;

/** One try of a webhook delivery. */
final class DeliveryAttempt extends Model
{
    public function __construct(
        public readonly string $at,
        public readonly ?int $status_code,
        public readonly ?string $error,
        public readonly int $duration_ms,
    ) {
    }
}
