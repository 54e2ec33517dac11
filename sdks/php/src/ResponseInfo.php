<?php

declare(strict_types=1);

namespace Interflow;

/**
 * What the API answered besides the data; every result carries it as `$result->lastResponse`.
 *
 * @param ?string $requestId the request's X-Request-Id: quote it to support
 * @param int $status 201 for a new chat, 200 for the open one it found; 201 or 202 for a send; …
 * @param ?RateLimit $rateLimit where the account's rate limit stands after this request
 * @param bool $idempotentReplayed the stored answer to an earlier request with the same Idempotency-Key: nothing was done again
 */
final class ResponseInfo
{
    public function __construct(
        public readonly ?string $requestId,
        public readonly int $status,
        public readonly ?RateLimit $rateLimit,
        public readonly bool $idempotentReplayed,
    ) {
    }

    /** @param array<string, string> $headers by lower-case name */
    public static function of(int $status, array $headers): self
    {
        $number = fn (string $name): ?int => ctype_digit($headers[$name] ?? '') ? (int) $headers[$name] : null;
        [$limit, $remaining, $reset] = [$number('x-ratelimit-limit'), $number('x-ratelimit-remaining'), $number('x-ratelimit-reset')];
        return new self(
            $headers['x-request-id'] ?? null,
            $status,
            $limit !== null && $remaining !== null && $reset !== null ? new RateLimit($limit, $remaining, $reset) : null,
            strtolower($headers['idempotent-replayed'] ?? '') === 'true',
        );
    }
}
