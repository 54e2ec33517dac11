<?php

declare(strict_types=1);

namespace Interflow\Events;

use Interflow\Models\BulkJob;

/** bulk.completed. */
final class BulkEvent extends WebhookEvent
{
    public function __construct(string $id, string $type, string $created_at, public readonly BulkJob $data)
    {
        parent::__construct($id, $type, $created_at);
    }
}
