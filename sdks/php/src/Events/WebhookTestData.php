<?php

declare(strict_types=1);

namespace Interflow\Events;

use Interflow\Models\Model;

/** The data of a webhook.test event: which endpoint was pinged. */
final class WebhookTestData extends Model
{
    public function __construct(public readonly string $webhook_id)
    {
    }
}
