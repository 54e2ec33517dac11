<?php

declare(strict_types=1);

namespace Interflow;

/** Requests per minute of the account's plan, left in the current window, and when it resets (Unix seconds). */
final class RateLimit
{
    public function __construct(
        public readonly int $limit,
        public readonly int $remaining,
        public readonly int $reset,
    ) {
    }
}
