<?php

declare(strict_types=1);

namespace Interflow\Models;

/** The WhatsApp Cloud number of a channel (its credentials are never returned). */
final class WhatsAppNumber extends Model
{
    public function __construct(
        public readonly string $phone_number_id,
    ) {
    }
}
