<?php

declare(strict_types=1);

namespace Interflow;

/**
 * One page of a list, with the list's total (the envelope's meta). Iterating it walks this page's items.
 *
 * @template T
 * @implements \IteratorAggregate<int, T>
 */
final class Page implements \IteratorAggregate, \Countable
{
    /** @param list<T> $data */
    public function __construct(
        public readonly array $data,
        public readonly int $page,
        public readonly int $per_page,
        public readonly int $total,
    ) {
    }

    public function hasMore(): bool
    {
        return $this->page * $this->per_page < $this->total;
    }

    public function getIterator(): \ArrayIterator
    {
        return new \ArrayIterator($this->data);
    }

    public function count(): int
    {
        return count($this->data);
    }

    /**
     * The items of every page, 100 per request, each once even when new items shift the pages under it.
     *
     * @template U of object
     * @param callable(int): Page<U> $page
     * @return \Generator<int, U>
     */
    public static function everyItem(callable $page): \Generator
    {
        $seen = [];
        for ($number = 1; ; $number++) {
            $current = $page($number);
            foreach ($current->data as $item) {
                if (!isset($seen[$item->id])) {
                    $seen[$item->id] = true;
                    yield $item;
                }
            }
            if (!$current->hasMore() || $current->data === []) {
                return;
            }
        }
    }
}
