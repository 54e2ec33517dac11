<?php

declare(strict_types=1);

namespace Interflow\Events;

/** An event of a type this version of the SDK does not know yet: its data as sent. */
final class UnknownEvent extends WebhookEvent
{
    /** @param array<string, mixed> $data */
    public function __construct(string $id, string $type, string $created_at, public readonly array $data)
    {
        parent::__construct($id, $type, $created_at);
    }
}
