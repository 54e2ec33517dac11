<?php

declare(strict_types=1);

namespace Interflow\Tests;

use Interflow\Interflow;
use Interflow\InterflowException;
use PHPUnit\Framework\Assert;

/**
 * What every test needs from the SDK harness (tests/Interflow.Sdks.Tests): the test server behind its fault proxy,
 * fresh accounts through the admin routes, and the OpenAPI document to hold results to.
 */
final class Harness
{
    public const IN_PROGRESS = '{"success":false,"error":{"code":"CONFLICT","message":"A request with this Idempotency-Key is still being processed"}}';
    public const UNAVAILABLE = '{"success":false,"error":{"code":"SERVICE_UNAVAILABLE","message":"Service temporarily unavailable; please retry"}}';
    public const RATE_LIMITED = '{"success":false,"error":{"code":"RATE_LIMIT_EXCEEDED","message":"Rate limit exceeded"}}';

    public static function env(string $name): string
    {
        $value = getenv($name);
        if ($value === false || $value === '') {
            throw new \RuntimeException("{$name} is not set: run these tests through tests/Interflow.Sdks.Tests (dotnet test)");
        }
        return $value;
    }

    public static function baseUrl(): string
    {
        return self::env('INTERFLOW_TEST_BASE_URL');
    }

    /** @return array<string, mixed> */
    public static function openapi(): array
    {
        static $document;
        return $document ??= json_decode((string) file_get_contents(self::env('INTERFLOW_OPENAPI')), true, flags: JSON_THROW_ON_ERROR);
    }

    /** @return list<string> */
    public static function fieldsOf(string $schema): array
    {
        $fields = array_keys(self::openapi()['components']['schemas'][$schema]['properties']);
        sort($fields);
        return $fields;
    }

    /** A test key of a fresh account (sandbox data). */
    public static function newKey(string $plan = 'enterprise'): string
    {
        $account = self::post('manage/accounts', ['name' => "PHP SDK {$plan}", 'plan' => $plan], ['x-functions-key: ' . self::env('INTERFLOW_TEST_ADMIN_KEY')]);
        $key = self::post("manage/accounts/{$account['data']['id']}/keys", ['name' => 'php', 'environment' => 'test'], ['x-functions-key: ' . self::env('INTERFLOW_TEST_ADMIN_KEY')]);
        return $key['data']['secret'];
    }

    /**
     * A client for a fresh account with quick backoff (what is tested is which calls are retried), and its key.
     *
     * @return array{0: Interflow, 1: string}
     */
    public static function newClient(string $plan = 'enterprise', int $maxRetries = 3, float $maxRetryDelay = 30.0, ?string $language = null): array
    {
        $key = self::newKey($plan);
        return [new Interflow($key, self::baseUrl(), maxRetries: $maxRetries, retryDelay: 0.02, maxRetryDelay: $maxRetryDelay, language: $language), $key];
    }

    /** The proxy answers this key's next requests with these faults: ['lose' => true] or ['status' =>, 'retry_after' =>, 'body' =>]. */
    public static function faults(string $key, array ...$faults): void
    {
        self::post('_faults', ['key' => $key, 'faults' => $faults], []);
    }

    /** @return list<array{method: string, path: string, idempotency_key: ?string, status: int, fault: string}> */
    public static function requests(string $key): array
    {
        return json_decode((string) file_get_contents(self::baseUrl() . '/_requests?key=' . rawurlencode($key)), true, flags: JSON_THROW_ON_ERROR);
    }

    /** The API error the call raised; the test fails when it raised none. */
    public static function raised(callable $call): InterflowException
    {
        try {
            $call();
        } catch (InterflowException $e) {
            return $e;
        }
        Assert::fail('nothing was raised');
    }

    /** A Brazilian mobile number no other test uses (never the sandbox's test endings 0000 and 0001). */
    public static function uniquePhone(): string
    {
        $phone = '55119' . random_int(10_000_000, 99_999_999);
        return preg_match('/000[01]$/', $phone) === 1 ? substr($phone, 0, -4) . '1234' : $phone;
    }

    /** @return array<string, mixed> */
    private static function post(string $path, array $body, array $headers): array
    {
        $curl = curl_init(self::baseUrl() . '/' . $path);
        curl_setopt_array($curl, [
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => json_encode($body, JSON_THROW_ON_ERROR),
            CURLOPT_HTTPHEADER => [...$headers, 'Content-Type: application/json'],
            CURLOPT_RETURNTRANSFER => true,
        ]);
        $text = (string) curl_exec($curl);
        $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        curl_close($curl);
        if ($status >= 300) {
            throw new \RuntimeException("{$path}: {$status} {$text}");
        }
        return $text === '' ? [] : json_decode($text, true, flags: JSON_THROW_ON_ERROR);
    }
}
