<?php

declare(strict_types=1);

namespace Interflow\Events;

use Interflow\Models\Customer;

/** customer.created, customer.updated or customer.deleted (with the customer as it was). */
final class CustomerEvent extends WebhookEvent
{
    public function __construct(string $id, string $type, string $created_at, public readonly Customer $data)
    {
        parent::__construct($id, $type, $created_at);
    }
}
