<?php

declare(strict_types=1);

namespace Interflow\Resources;

use Interflow\Models\CreatedWebhook;
use Interflow\Models\Deleted;
use Interflow\Models\Webhook;
use Interflow\Models\WebhookDelivery;
use Interflow\Page;

/**
 * @psalm-import-type NewWebhook from \Interflow\Types
 * @psalm-import-type WebhookChanges from \Interflow\Types
 */
final class Webhooks extends Resource
{
    /**
     * The answer carries the endpoint's whsec_ secret, this once: keep it to verify deliveries.
     *
     * @param NewWebhook $webhook
     * @param array{idempotency_key?: string} $options
     */
    public function create(array $webhook, array $options = []): CreatedWebhook
    {
        return $this->api->one('POST', '/v1/webhooks', CreatedWebhook::class, $webhook, $options);
    }

    public function retrieve(string $id): Webhook
    {
        return $this->api->one('GET', self::path('/v1/webhooks', $id), Webhook::class);
    }

    /**
     * @param WebhookChanges $changes
     * @param array{if_match?: string} $options
     */
    public function update(string $id, array $changes, array $options = []): Webhook
    {
        return $this->api->one('PUT', self::path('/v1/webhooks', $id), Webhook::class, $changes, $options);
    }

    public function delete(string $id): Deleted
    {
        return $this->api->one('DELETE', self::path('/v1/webhooks', $id), Deleted::class);
    }

    /**
     * Every endpoint of the account, on one page.
     *
     * @return Page<Webhook>
     */
    public function list(): Page
    {
        return $this->api->page('/v1/webhooks', Webhook::class);
    }

    /**
     * A webhook.test event delivered now; a success re-enables a disabled endpoint.
     *
     * @param array{idempotency_key?: string} $options
     */
    public function test(string $id, array $options = []): WebhookDelivery
    {
        return $this->api->one('POST', self::path('/v1/webhooks', $id, 'test'), WebhookDelivery::class, null, $options);
    }

    /**
     * @param array{page?: int, per_page?: int, cursor?: string} $filter
     * @return Page<WebhookDelivery>
     */
    public function listDeliveries(string $id, array $filter = []): Page
    {
        return $this->api->page(self::path('/v1/webhooks', $id, 'deliveries'), WebhookDelivery::class, $filter);
    }

    /** @return \Generator<int, WebhookDelivery> */
    public function listAllDeliveries(string $id): \Generator
    {
        return Page::everyItem(fn (string $cursor) => $this->listDeliveries($id, ['cursor' => $cursor, 'per_page' => self::PER_PAGE_ALL]));
    }
}
