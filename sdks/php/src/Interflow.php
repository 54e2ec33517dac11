<?php

declare(strict_types=1);

namespace Interflow;

use Interflow\Resources\Bulk;
use Interflow\Resources\Channels;
use Interflow\Resources\Chats;
use Interflow\Resources\Customers;
use Interflow\Resources\Messages;
use Interflow\Resources\Webhooks;

/**
 * The Interflow API, typed: one property per resource.
 *
 *     $interflow = new Interflow\Interflow(apiKey: getenv('INTERFLOW_API_KEY'), baseUrl: Interflow\Interflow::SANDBOX_URL);
 *     $customer = $interflow->customers->create(['name' => 'João Silva', 'phone' => '5511999999999']);
 */
final class Interflow
{
    /** With or without /v1, as the reference writes it. */
    public const PRODUCTION_URL = 'https://api.interflow.chat';
    public const SANDBOX_URL = 'https://sandbox.api.interflow.chat';

    public readonly Customers $customers;
    public readonly Channels $channels;
    public readonly Messages $messages;
    public readonly Bulk $bulk;
    public readonly Chats $chats;
    public readonly Webhooks $webhooks;
    private readonly Connection $api;

    /**
     * @param string $apiKey an ifk_live_ or ifk_test_ key
     * @param float $timeout seconds per try
     * @param int $maxRetries retries after the first try, on 409 (request in progress), 429, 503 and lost connections
     * @param float $retryDelay first backoff in seconds when the API gives no Retry-After; it doubles, with jitter
     * @param float $maxRetryDelay the longest wait: a Retry-After beyond it is raised at once, not cut short
     * @param ?string $language of error messages: pt-BR by default, 'en' for English
     * @param ?Transport $transport how requests reach the API: a CurlTransport by default; wrap or replace it
     */
    public function __construct(
        #[\SensitiveParameter] string $apiKey,
        string $baseUrl = self::PRODUCTION_URL,
        float $timeout = 30.0,
        int $maxRetries = 3,
        float $retryDelay = 0.5,
        float $maxRetryDelay = 30.0,
        ?string $language = null,
        ?Transport $transport = null,
    ) {
        $this->api = new Connection($apiKey, $baseUrl, $timeout, $maxRetries, $retryDelay, $maxRetryDelay, $language, $transport ?? new CurlTransport());
        $this->customers = new Customers($this->api);
        $this->channels = new Channels($this->api);
        $this->messages = new Messages($this->api);
        $this->bulk = new Bulk($this->api);
        $this->chats = new Chats($this->api);
        $this->webhooks = new Webhooks($this->api);
    }

    /** The API's OpenAPI 3.1 document (GET /v1/openapi.json), as JSON text. */
    public function getOpenApiDocument(): string
    {
        return $this->api->text('/v1/openapi.json');
    }
}
