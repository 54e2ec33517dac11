<?php

declare(strict_types=1);

namespace Interflow\Models;

/** Why a message failed. */
final class MessageError extends Model
{
    public function __construct(
        public readonly string $code,
        public readonly string $message,
    ) {
    }
}
