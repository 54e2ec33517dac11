<?php

declare(strict_types=1);

namespace Interflow\Events;

use Interflow\Models\Message;

/** message.sent, message.delivered, message.read, message.failed or message.received. */
final class MessageEvent extends WebhookEvent
{
    public function __construct(string $id, string $type, string $created_at, public readonly Message $data)
    {
        parent::__construct($id, $type, $created_at);
    }
}
