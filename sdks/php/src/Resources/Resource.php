<?php

declare(strict_types=1);

namespace Interflow\Resources;

use Interflow\Connection;

/** @internal what every resource shares: the connection, and paths of escaped segments (ids come from callers) */
abstract class Resource
{
    protected const PER_PAGE_ALL = 100;

    public function __construct(protected readonly Connection $api)
    {
    }

    protected static function path(string $collection, string ...$segments): string
    {
        return $collection . implode('', array_map(fn (string $s) => '/' . rawurlencode($s), $segments));
    }
}
