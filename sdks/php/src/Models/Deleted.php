<?php

declare(strict_types=1);

namespace Interflow\Models;

/** What a delete answers. */
final class Deleted extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly bool $deleted,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
