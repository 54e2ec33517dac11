<?php

declare(strict_types=1);

namespace Interflow;

use Interflow\Events\WebhookEvent;

/**
 * Checks Standard Webhooks signatures: webhook-signature holds one or more "v1," + base64 HMAC-SHA256 of
 * "{webhook-id}.{webhook-timestamp}.{body}", keyed with the base64 part of the endpoint's whsec_ secret. A timestamp
 * further than the tolerance from now (either way) is refused, so a captured delivery cannot be replayed later;
 * within it, dedupe by the event's id (deliveries are at least once). Give it the raw body:
 * file_get_contents('php://input').
 */
final class WebhookVerifier
{
    private readonly string $key;
    /** @var \Closure(): int */
    private readonly \Closure $clock;

    /** @param ?callable(): int $clock seconds since the epoch (default time()) */
    public function __construct(#[\SensitiveParameter] string $secret, private readonly int $tolerance = 300, ?callable $clock = null)
    {
        $this->key = self::key($secret);
        $this->clock = $clock === null ? time(...) : \Closure::fromCallable($clock);
    }

    /**
     * Signs a payload as the API signs a delivery (Stripe's generateTestHeaderString), to test a webhook handler without
     * the API: the headers verify with a WebhookVerifier of the same secret.
     *
     * @return array{webhook-id: string, webhook-timestamp: string, webhook-signature: string}
     */
    public static function generateTestHeaders(string $payload, #[\SensitiveParameter] string $secret, ?string $id = null, ?int $timestamp = null): array
    {
        $id ??= 'msg_' . bin2hex(random_bytes(16));
        $stamp = (string) ($timestamp ?? time());
        $signature = base64_encode(hash_hmac('sha256', "{$id}.{$stamp}.{$payload}", self::key($secret), true));
        return ['webhook-id' => $id, 'webhook-timestamp' => $stamp, 'webhook-signature' => "v1,{$signature}"];
    }

    private static function key(string $secret): string
    {
        $encoded = str_starts_with($secret, 'whsec_') ? substr($secret, 6) : $secret;
        $key = preg_match('~^[A-Za-z0-9+/]+={0,2}$~', $encoded) === 1 ? base64_decode($encoded, true) : false;
        if ($key === false || $key === '') {
            throw new \InvalidArgumentException('the secret is not a whsec_ secret');
        }
        return $key;
    }

    /**
     * @param array<string, string|list<string>> $headers the request's headers, names in any case (getallheaders(), a PSR-7 getHeaders())
     * @return WebhookEvent typed by its type: MessageEvent, CustomerEvent, … (instanceof tells which)
     * @throws WebhookVerificationException when the delivery is not from the API, or too old
     */
    public function verify(array $headers, string $body): WebhookEvent
    {
        $byName = [];
        foreach ($headers as $name => $value) {
            $byName[strtolower((string) $name)] = is_array($value) ? ($value[0] ?? '') : $value;
        }
        $header = function (string $name) use ($byName): string {
            $value = $byName[$name] ?? '';
            if ($value === '') {
                throw new WebhookVerificationException("the {$name} header is missing");
            }
            return $value;
        };
        $id = $header('webhook-id');
        $timestamp = $header('webhook-timestamp');
        $signatures = $header('webhook-signature');
        if (preg_match('/^\d{1,15}$/', $timestamp) !== 1) {
            throw new WebhookVerificationException('webhook-timestamp is not a Unix time in seconds');
        }
        $age = abs(($this->clock)() - (int) $timestamp);
        if ($age > $this->tolerance) {
            throw new WebhookVerificationException("webhook-timestamp is {$age} s from now, beyond the tolerance of {$this->tolerance} s");
        }
        $expected = hash_hmac('sha256', "{$id}.{$timestamp}.{$body}", $this->key, true);
        $matched = false;
        foreach (explode(' ', $signatures) as $signature) {
            // Other versions than v1 may be sent beside it; they are not ours to check.
            if (str_starts_with($signature, 'v1,')) {
                $given = strlen($signature) % 4 === 3 && preg_match('~^[A-Za-z0-9+/]+={0,2}$~', substr($signature, 3)) === 1
                    ? base64_decode(substr($signature, 3), true) : false;
                $matched = $matched || ($given !== false && hash_equals($expected, $given));
            }
        }
        if (!$matched) {
            throw new WebhookVerificationException('no webhook-signature matches the body with this secret');
        }
        $event = json_decode($body, true);
        if (!is_array($event) || !is_string($event['id'] ?? null) || !is_string($event['type'] ?? null)) {
            throw new WebhookVerificationException('the body is not an event');
        }
        return WebhookEvent::of($event);
    }
}
