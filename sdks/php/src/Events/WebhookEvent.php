<?php

declare(strict_types=1);

namespace Interflow\Events;

use Interflow\Models\Model;

/**
 * An event as delivered to a webhook endpoint: its class says what $data is (the resource as the API answers it):
 * MessageEvent, ChatEvent, CustomerEvent, BulkEvent, WebhookTestEvent, or UnknownEvent for a type this version of the
 * SDK does not know yet.
 */
abstract class WebhookEvent extends Model
{
    private const CLASSES = [
        'message' => MessageEvent::class,
        'chat' => ChatEvent::class,
        'customer' => CustomerEvent::class,
        'bulk' => BulkEvent::class,
        'webhook' => WebhookTestEvent::class,
    ];

    public function __construct(
        public readonly string $id,
        public readonly string $type,
        public readonly string $created_at,
    ) {
    }

    /** @param array{id: string, type: string, created_at?: string, data?: mixed} $event */
    public static function of(array $event): self
    {
        $class = self::CLASSES[explode('.', $event['type'])[0]] ?? UnknownEvent::class;
        return $class::fromArray($event + ['created_at' => '', 'data' => []]);
    }
}
