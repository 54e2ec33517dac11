<?php

declare(strict_types=1);

namespace Interflow\Resources;

use Interflow\Models\Message;

/** @psalm-import-type SendMessage from \Interflow\Types */
final class Messages extends Resource
{
    /**
     * Status sent (201), or queued (202) when the provider was slow; once per idempotency key either way.
     *
     * @param SendMessage $message
     * @param array{idempotency_key?: string} $options
     */
    public function send(array $message, array $options = []): Message
    {
        return $this->api->one('POST', '/v1/messages/send', Message::class, $message, $options);
    }

    public function retrieve(string $id): Message
    {
        return $this->api->one('GET', self::path('/v1/messages', $id), Message::class);
    }
}
