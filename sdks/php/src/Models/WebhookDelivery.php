<?php

declare(strict_types=1);

namespace Interflow\Models;

/** A delivery of one event to one endpoint, with every try. */
final class WebhookDelivery extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $webhook_id,
        public readonly string $event_id,
        public readonly string $event_type,
        public readonly string $status,
        /** @var list<DeliveryAttempt> */
        #[ListOf(DeliveryAttempt::class)]
        public readonly array $attempts,
        public readonly ?string $next_attempt_at,
        public readonly string $created_at,
        public readonly string $updated_at,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
