<?php

declare(strict_types=1);

namespace Interflow\Events;

use Interflow\Models\Chat;

/** chat.created or chat.closed. */
final class ChatEvent extends WebhookEvent
{
    public function __construct(string $id, string $type, string $created_at, public readonly Chat $data)
    {
        parent::__construct($id, $type, $created_at);
    }
}
