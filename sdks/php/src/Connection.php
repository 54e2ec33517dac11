<?php

declare(strict_types=1);

namespace Interflow;

use Interflow\Models\ErrorDetail;
use Interflow\Models\Model;

/**
 * One call to the API over curl: the key, the JSON, the envelope, errors as InterflowException, and retries. A POST
 * carries an Idempotency-Key that stays the same across its retries, so that a retried send or create (after a lost
 * answer, a 503 or a 409 "still in progress") happens once on the server.
 *
 * @internal
 */
final class Connection
{
    private readonly string $baseUrl;

    public function __construct(
        #[\SensitiveParameter] private readonly string $apiKey,
        string $baseUrl,
        private readonly float $timeout,
        private readonly int $maxRetries,
        private readonly float $retryDelay,
        private readonly float $maxRetryDelay,
        private readonly ?string $language,
        private readonly Transport $transport,
    ) {
        if ($apiKey === '') {
            throw new \InvalidArgumentException('apiKey is required');
        }
        if ($maxRetries < 0) {
            throw new \InvalidArgumentException('maxRetries must not be negative');
        }
        $this->baseUrl = self::root($baseUrl);
    }

    /**
     * The API's root, whichever way it was written: the reference gives the base URL as https://api.interflow.chat/v1,
     * and every path here starts with /v1, so a trailing /v1 (and any trailing slash) is dropped.
     */
    public static function root(string $baseUrl): string
    {
        $root = rtrim($baseUrl, '/');
        return str_ends_with(strtolower($root), '/v1') ? rtrim(substr($root, 0, -3), '/') : $root;
    }

    /**
     * @template T of Model
     * @param class-string<T> $result
     * @param array<string, mixed>|null $body
     * @param array{idempotency_key?: string, if_match?: string} $options
     * @return T
     */
    public function one(string $method, string $path, string $result, ?array $body = null, array $options = []): Model
    {
        [$envelope, $answer] = $this->call($method, $path, $body, [], $options);
        return $result::fromArray($envelope['data'], $answer->headers['etag'] ?? null, ResponseInfo::of($answer->status, $answer->headers));
    }

    /**
     * @template T of Model
     * @param class-string<T> $result
     * @param array<string, scalar|null> $query
     * @return Page<T>
     */
    public function page(string $path, string $result, array $query = []): Page
    {
        [$envelope, $answer] = $this->call('GET', $path, null, $query, []);
        $items = array_map(fn (array $item) => $result::fromArray($item), $envelope['data']);
        $meta = $envelope['meta'] ?? ['page' => 1, 'per_page' => count($items), 'total' => count($items)];
        $answered = ResponseInfo::of($answer->status, $answer->headers);
        return array_key_exists('next_cursor', $meta)
            ? new Page($items, null, (int) $meta['per_page'], null, $meta['next_cursor'], $answered)
            : new Page($items, (int) $meta['page'], (int) $meta['per_page'], (int) $meta['total'], null, $answered);
    }

    /** A GET whose answer is not the envelope (the OpenAPI document). */
    public function text(string $path): string
    {
        $answer = $this->transport->send('GET', $this->baseUrl . $path, $this->headers(null, []), null, $this->timeout);
        if ($answer->status < 200 || $answer->status >= 300) {
            $this->read($answer);
        }
        return $answer->body;
    }

    /**
     * @param array<string, mixed>|null $body
     * @param array<string, scalar|null> $query
     * @param array{idempotency_key?: string, if_match?: string} $options
     * @return array{0: array<string, mixed>, 1: HttpResponse}
     */
    private function call(string $method, string $path, ?array $body, array $query, array $options): array
    {
        if ($method === 'POST') {
            $options['idempotency_key'] ??= 'ifphp_' . bin2hex(random_bytes(16));
        }
        $query = array_filter($query, fn ($value) => $value !== null);
        $url = $this->baseUrl . $path . ($query === [] ? '' : '?' . http_build_query($query, '', '&', PHP_QUERY_RFC3986));
        $payload = $body === null ? null : json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
        $headers = $this->headers($payload, $options);

        for ($attempt = 0; ; $attempt++) {
            try {
                $answer = $this->transport->send($method, $url, $headers, $payload, $this->timeout);
            } catch (TransportException $noAnswer) {
                // Refused, reset or timed out: the same request, with the same key, is safe to send again.
                if ($attempt < $this->maxRetries) {
                    usleep((int) ($this->backoff($attempt) * 1e6));
                    continue;
                }
                throw new InterflowException(0, InterflowException::UNEXPECTED_RESPONSE, "no answer from {$method} {$path}: {$noAnswer->getMessage()}", previous: $noAnswer);
            }
            $retryAfter = self::retryAfter($answer->headers);
            $retryable = $answer->status === 429 || $answer->status === 503 || ($answer->status === 409 && $retryAfter !== null);
            if ($attempt < $this->maxRetries && $retryable && !($retryAfter !== null && $retryAfter > $this->maxRetryDelay)) {
                usleep((int) (($retryAfter ?? $this->backoff($attempt)) * 1e6));
                continue;
            }
            return [$this->read($answer), $answer];
        }
    }

    /**
     * @param array{idempotency_key?: string, if_match?: string} $options
     * @return list<string>
     */
    private function headers(?string $payload, array $options): array
    {
        $headers = ['Authorization: Bearer ' . $this->apiKey, 'Accept: application/json', 'Expect:'];
        if ($this->language !== null) {
            $headers[] = 'Accept-Language: ' . $this->language;
        }
        if (isset($options['idempotency_key'])) {
            $headers[] = 'Idempotency-Key: ' . $options['idempotency_key'];
        }
        if (isset($options['if_match'])) {
            $headers[] = 'If-Match: ' . $options['if_match'];
        }
        if ($payload !== null) {
            $headers[] = 'Content-Type: application/json';
        }
        return $headers;
    }

    /** @return array<string, mixed> */
    private function read(HttpResponse $answer): array
    {
        [$status, $headers, $text] = [$answer->status, $answer->headers, $answer->body];
        $requestId = $headers['x-request-id'] ?? null;
        $envelope = json_decode($text, true);
        if (!is_array($envelope)) {
            $envelope = [];
        }
        if ($status >= 200 && $status < 300 && ($envelope['success'] ?? null) === true && array_key_exists('data', $envelope)) {
            return $envelope;
        }
        $error = $envelope['error'] ?? null;
        if (($envelope['success'] ?? null) === false && is_array($error) && is_string($error['code'] ?? null)) {
            $details = array_map(fn (array $d) => ErrorDetail::fromArray($d), $error['details'] ?? []);
            throw new InterflowException($status, $error['code'], (string) ($error['message'] ?? ''), $details, $requestId, self::retryAfter($headers));
        }
        $shown = strlen($text) > 200 ? substr($text, 0, 200) . '…' : $text;
        throw new InterflowException($status, InterflowException::UNEXPECTED_RESPONSE, "HTTP {$status} without the API's envelope: {$shown}", [], $requestId, self::retryAfter($headers));
    }

    /** @param array<string, string> $headers */
    private static function retryAfter(array $headers): ?float
    {
        $value = trim($headers['retry-after'] ?? '');
        if ($value === '') {
            return null;
        }
        if (ctype_digit($value)) {
            return (float) $value;
        }
        $at = strtotime($value);
        return $at === false ? null : max(0.0, (float) ($at - time()));
    }

    private function backoff(int $attempt): float
    {
        $exponential = $this->retryDelay * 2 ** $attempt;
        return min($this->maxRetryDelay, $exponential / 2 + (mt_rand() / mt_getrandmax()) * $exponential / 2);
    }
}
