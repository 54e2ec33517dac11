<?php

declare(strict_types=1);

namespace Interflow\Resources;

use Interflow\Models\Chat;
use Interflow\Models\Message;
use Interflow\Page;

/**
 * @psalm-import-type NewChat from \Interflow\Types
 * @psalm-import-type ChatChanges from \Interflow\Types
 */
final class Chats extends Resource
{
    /**
     * The open chat of the customer (or phone) on the channel, opened when there is none.
     *
     * @param NewChat $chat
     * @param array{idempotency_key?: string} $options
     */
    public function open(array $chat, array $options = []): Chat
    {
        return $this->api->one('POST', '/v1/chats', Chat::class, $chat, $options);
    }

    public function retrieve(string $id): Chat
    {
        return $this->api->one('GET', self::path('/v1/chats', $id), Chat::class);
    }

    /**
     * @param ChatChanges $changes
     * @param array{if_match?: string} $options
     */
    public function update(string $id, array $changes, array $options = []): Chat
    {
        return $this->api->one('PUT', self::path('/v1/chats', $id), Chat::class, $changes, $options);
    }

    /**
     * @param array{page?: int, per_page?: int, cursor?: string, status?: string, channel_id?: string, customer_id?: string} $filter
     * @return Page<Chat>
     */
    public function list(array $filter = []): Page
    {
        return $this->api->page('/v1/chats', Chat::class, $filter);
    }

    /**
     * @param array{status?: string, channel_id?: string, customer_id?: string} $filter
     * @return \Generator<int, Chat>
     */
    public function listAll(array $filter = []): \Generator
    {
        return Page::everyItem(fn (string $cursor) => $this->list([...$filter, 'cursor' => $cursor, 'per_page' => self::PER_PAGE_ALL]));
    }

    /**
     * @param array{page?: int, per_page?: int, cursor?: string, order?: string} $filter
     * @return Page<Message>
     */
    public function listMessages(string $id, array $filter = []): Page
    {
        return $this->api->page(self::path('/v1/chats', $id, 'messages'), Message::class, $filter);
    }

    /**
     * @param array{order?: string} $filter
     * @return \Generator<int, Message>
     */
    public function listAllMessages(string $id, array $filter = []): \Generator
    {
        return Page::everyItem(fn (string $cursor) => $this->listMessages($id, [...$filter, 'cursor' => $cursor, 'per_page' => self::PER_PAGE_ALL]));
    }
}
