<?php

declare(strict_types=1);

namespace Interflow\Models;

/** A customer of the account. */
final class Customer extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $name,
        public readonly ?string $email,
        public readonly ?string $phone,
        /** @var list<string> */
        public readonly array $tags,
        /** @var array<string, string|int|float|bool> */
        public readonly array $custom_fields,
        public readonly string $created_at,
        public readonly string $updated_at,
        public readonly ?string $etag = null,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
