<?php

declare(strict_types=1);

namespace Interflow\Resources;

use Interflow\Models\BulkJob;

/** @psalm-import-type BulkSend from \Interflow\Types */
final class Bulk extends Resource
{
    /**
     * @param BulkSend $bulk
     * @param array{idempotency_key?: string} $options
     */
    public function submit(array $bulk, array $options = []): BulkJob
    {
        return $this->api->one('POST', '/v1/messages/bulk', BulkJob::class, $bulk, $options);
    }

    public function retrieve(string $id): BulkJob
    {
        return $this->api->one('GET', self::path('/v1/messages/bulk', $id), BulkJob::class);
    }

    /** @param array{idempotency_key?: string} $options */
    public function cancel(string $id, array $options = []): BulkJob
    {
        return $this->api->one('POST', self::path('/v1/messages/bulk', $id, 'cancel'), BulkJob::class, null, $options);
    }
}
