<?php

declare(strict_types=1);

namespace Interflow\Models;

/** A bulk send and its counts. */
final class BulkJob extends Model
{
    public function __construct(
        public readonly string $id,
        public readonly string $channel_id,
        public readonly string $status,
        public readonly int $total,
        public readonly int $queued,
        public readonly int $sent,
        public readonly int $failed,
        public readonly int $cancelled,
        public readonly bool $cancel_requested,
        public readonly string $created_at,
        public readonly string $updated_at,
        public readonly ?string $completed_at,
        public readonly ?string $etag = null,
        public readonly ?\Interflow\ResponseInfo $lastResponse = null,
    ) {
    }
}
