<?php

declare(strict_types=1);

namespace Interflow\Resources;

use Interflow\Models\Customer;
use Interflow\Models\Deleted;
use Interflow\Page;

/**
 * @psalm-import-type NewCustomer from \Interflow\Types
 * @psalm-import-type CustomerChanges from \Interflow\Types
 */
final class Customers extends Resource
{
    /**
     * @param NewCustomer $customer
     * @param array{idempotency_key?: string} $options
     */
    public function create(array $customer, array $options = []): Customer
    {
        return $this->api->one('POST', '/v1/customers', Customer::class, $customer, $options);
    }

    public function retrieve(string $id): Customer
    {
        return $this->api->one('GET', self::path('/v1/customers', $id), Customer::class);
    }

    /**
     * Fields given replace the stored ones; if_match (a read's etag) refuses the update with 412 if it changed since.
     *
     * @param CustomerChanges $changes
     * @param array{if_match?: string} $options
     */
    public function update(string $id, array $changes, array $options = []): Customer
    {
        return $this->api->one('PUT', self::path('/v1/customers', $id), Customer::class, $changes, $options);
    }

    public function delete(string $id): Deleted
    {
        return $this->api->one('DELETE', self::path('/v1/customers', $id), Deleted::class);
    }

    /**
     * @param array{page?: int, per_page?: int, cursor?: string, search?: string, tag?: string, email?: string, phone?: string} $filter
     * @return Page<Customer>
     */
    public function list(array $filter = []): Page
    {
        return $this->api->page('/v1/customers', Customer::class, $filter);
    }

    /**
     * Every customer matching the filter, each once: foreach ($interflow->customers->listAll() as $customer).
     *
     * @param array{search?: string, tag?: string, email?: string, phone?: string} $filter
     * @return \Generator<int, Customer>
     */
    public function listAll(array $filter = []): \Generator
    {
        return Page::everyItem(fn (string $cursor) => $this->list([...$filter, 'cursor' => $cursor, 'per_page' => self::PER_PAGE_ALL]));
    }
}
