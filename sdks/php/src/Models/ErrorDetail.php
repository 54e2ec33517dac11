<?php

declare(strict_types=1);

namespace Interflow\Models;

/** One invalid field of a request, by its JSON path (content.text, tags[3]). */
final class ErrorDetail extends Model
{
    public function __construct(
        public readonly string $field,
        public readonly string $message,
    ) {
    }
}
