<?php

declare(strict_types=1);

namespace Interflow;

/**
 * How a request reaches the API: {@see CurlTransport} by default. Wrap it (logging, metrics, a proxy) or replace it
 * (another HTTP client, a test double) with the `transport:` argument of {@see Interflow}.
 */
interface Transport
{
    /**
     * @param list<string> $headers "Name: value" lines
     * @throws TransportException when nothing answered (refused, reset, timed out): the call is retried as a lost answer
     */
    public function send(string $method, string $url, array $headers, ?string $body, float $timeout): HttpResponse;
}
