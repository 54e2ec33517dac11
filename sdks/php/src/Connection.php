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
    ) {
        if ($apiKey === '') {
            throw new \InvalidArgumentException('apiKey is required');
        }
        if ($maxRetries < 0) {
            throw new \InvalidArgumentException('maxRetries must not be negative');
        }
        $this->baseUrl = rtrim($baseUrl, '/');
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
        [$envelope, $headers] = $this->call($method, $path, $body, [], $options);
        return $result::fromArray($envelope['data'], $headers['etag'] ?? null);
    }

    /**
     * @template T of Model
     * @param class-string<T> $result
     * @param array<string, scalar|null> $query
     * @return Page<T>
     */
    public function page(string $path, string $result, array $query = []): Page
    {
        [$envelope] = $this->call('GET', $path, null, $query, []);
        $items = array_map(fn (array $item) => $result::fromArray($item), $envelope['data']);
        $meta = $envelope['meta'] ?? ['page' => 1, 'per_page' => count($items), 'total' => count($items)];
        return new Page($items, (int) $meta['page'], (int) $meta['per_page'], (int) $meta['total']);
    }

    /** A GET whose answer is not the envelope (the OpenAPI document). */
    public function text(string $path): string
    {
        [$status, $headers, $text] = $this->exchange('GET', $this->baseUrl . $path, $this->headers(null, []), null);
        if ($status < 200 || $status >= 300) {
            $this->read($status, $headers, $text);
        }
        return $text;
    }

    /**
     * @param array<string, mixed>|null $body
     * @param array<string, scalar|null> $query
     * @param array{idempotency_key?: string, if_match?: string} $options
     * @return array{0: array<string, mixed>, 1: array<string, string>}
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
                [$status, $answerHeaders, $text] = $this->exchange($method, $url, $headers, $payload);
            } catch (\RuntimeException $noAnswer) {
                // Refused, reset or timed out: the same request, with the same key, is safe to send again.
                if ($attempt < $this->maxRetries) {
                    usleep((int) ($this->backoff($attempt) * 1e6));
                    continue;
                }
                throw new InterflowException(0, InterflowException::UNEXPECTED_RESPONSE, "no answer from {$method} {$path}: {$noAnswer->getMessage()}", previous: $noAnswer);
            }
            $retryAfter = self::retryAfter($answerHeaders);
            $retryable = $status === 429 || $status === 503 || ($status === 409 && $retryAfter !== null);
            if ($attempt < $this->maxRetries && $retryable && !($retryAfter !== null && $retryAfter > $this->maxRetryDelay)) {
                usleep((int) (($retryAfter ?? $this->backoff($attempt)) * 1e6));
                continue;
            }
            return [$this->read($status, $answerHeaders, $text), $answerHeaders];
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

    /**
     * @param list<string> $headers
     * @return array{0: int, 1: array<string, string>, 2: string}
     */
    private function exchange(string $method, string $url, array $headers, ?string $payload): array
    {
        $answerHeaders = [];
        $curl = curl_init($url);
        curl_setopt_array($curl, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT_MS => (int) ($this->timeout * 1000),
            CURLOPT_HEADERFUNCTION => function ($_, string $line) use (&$answerHeaders): int {
                $parts = explode(':', $line, 2);
                if (count($parts) === 2) {
                    $answerHeaders[strtolower(trim($parts[0]))] = trim($parts[1]);
                }
                return strlen($line);
            },
        ]);
        if ($payload !== null) {
            curl_setopt($curl, CURLOPT_POSTFIELDS, $payload);
        }
        $text = curl_exec($curl);
        $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        $error = curl_error($curl);
        curl_close($curl);
        if ($text === false || $status === 0) {
            throw new \RuntimeException($error !== '' ? $error : 'no answer');
        }
        return [$status, $answerHeaders, (string) $text];
    }

    /**
     * @param array<string, string> $headers
     * @return array<string, mixed>
     */
    private function read(int $status, array $headers, string $text): array
    {
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
