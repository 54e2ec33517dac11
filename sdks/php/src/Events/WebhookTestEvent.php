<?php

declare(strict_types=1);

namespace Interflow\Events;

/** webhook.test, from a test ping. */
final class WebhookTestEvent extends WebhookEvent
{
    public function __construct(string $id, string $type, string $created_at, public readonly WebhookTestData $data)
    {
        parent::__construct($id, $type, $created_at);
    }
}
