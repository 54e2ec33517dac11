<?php

declare(strict_types=1);

namespace Interflow\Resources;

use Interflow\Models\Channel;
use Interflow\Page;

/** @psalm-import-type NewChannel from \Interflow\Types */
final class Channels extends Resource
{
    /**
     * @param NewChannel $channel
     * @param array{idempotency_key?: string} $options
     */
    public function create(array $channel, array $options = []): Channel
    {
        return $this->api->one('POST', '/v1/channels', Channel::class, $channel, $options);
    }

    public function retrieve(string $id): Channel
    {
        return $this->api->one('GET', self::path('/v1/channels', $id), Channel::class);
    }

    /**
     * @param array{page?: int, per_page?: int, cursor?: string} $filter
     * @return Page<Channel>
     */
    public function list(array $filter = []): Page
    {
        return $this->api->page('/v1/channels', Channel::class, $filter);
    }

    /** @return \Generator<int, Channel> */
    public function listAll(): \Generator
    {
        return Page::everyItem(fn (string $cursor) => $this->list(['cursor' => $cursor, 'per_page' => self::PER_PAGE_ALL]));
    }
}
