<?php

declare(strict_types=1);

namespace Interflow;

/**
 * One page of a list: by number (with $page and the list's $total), or of a walk by cursor (with $next_cursor, null
 * after the last item, and neither of those). Iterating it walks this page's items; $lastResponse is the answer.
 *
 * @template T
 * @implements \IteratorAggregate<int, T>
 */
final class Page implements \IteratorAggregate, \Countable
{
    /** @param list<T> $data */
    public function __construct(
        public readonly array $data,
        public readonly ?int $page,
        public readonly int $per_page,
        public readonly ?int $total,
        public readonly ?string $next_cursor = null,
        public readonly ?ResponseInfo $lastResponse = null,
    ) {
    }

    public function hasMore(): bool
    {
        return $this->page === null ? $this->next_cursor !== null : $this->page * $this->per_page < (int) $this->total;
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
     * Every item of a list, walking it by cursor: the API returns each item that exists for the whole walk exactly
     * once, whatever is added or deleted meanwhile (numbered pages would skip items as earlier ones are deleted).
     *
     * @template U
     * @param callable(string): Page<U> $page a page of the walk after a cursor ('' for the first)
     * @return \Generator<int, U>
     */
    public static function everyItem(callable $page): \Generator
    {
        for ($cursor = ''; $cursor !== null;) {
            $current = $page($cursor);
            foreach ($current->data as $item) {
                yield $item;
            }
            $cursor = $current->next_cursor;
        }
    }
}
