<?php

declare(strict_types=1);

namespace Interflow\Tests;

use Interflow\Events;
use Interflow\WebhookVerificationException;
use Interflow\WebhookVerifier;
use PHPUnit\Framework\TestCase;

final class WebhookVectorsTest extends TestCase
{
    /** @return array<string, mixed> */
    private static function file(): array
    {
        return json_decode((string) file_get_contents(Harness::env('INTERFLOW_WEBHOOK_VECTORS')), true, flags: JSON_THROW_ON_ERROR);
    }

    /** @return iterable<string, array{array<string, mixed>}> */
    public static function vectors(): iterable
    {
        foreach (self::file()['vectors'] as $vector) {
            yield $vector['name'] => [$vector];
        }
    }

    /** @dataProvider vectors */
    public function testWebhookVector(array $vector): void
    {
        $file = self::file();
        $verifier = new WebhookVerifier($vector['secret'], $file['tolerance_seconds'], fn () => $vector['now']);
        if ($vector['valid']) {
            $event = $verifier->verify($vector['headers'], $vector['body']);
            $this->assertSame([$file['event']['id'], $file['event']['type']], [$event->id, $event->type]);
        } else {
            $this->expectException(WebhookVerificationException::class);
            $verifier->verify($vector['headers'], $vector['body']);
        }
    }

    public function testGenerateTestHeadersSignsAsTheServerDoesByteForByte(): void
    {
        $signed = array_values(array_filter(self::file()['vectors'], fn ($v) => $v['name'] === 'signed now'))[0];
        $headers = WebhookVerifier::generateTestHeaders($signed['body'], $signed['secret'], $signed['headers']['webhook-id'], (int) $signed['headers']['webhook-timestamp']);
        $this->assertSame($signed['headers'], $headers);
    }

    /** @return iterable<string, array{array<string, string>}> */
    public static function events(): iterable
    {
        foreach (self::file()['events'] as $sample) {
            yield $sample['type'] => [$sample];
        }
    }

    /** @dataProvider events */
    public function testAnEventOfEveryTypeVerifiesToItsClassWithItsResourceAsData(array $sample): void
    {
        $secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
        $event = (new WebhookVerifier($secret))->verify(WebhookVerifier::generateTestHeaders($sample['body'], $secret), $sample['body']);
        [$class, $schema] = [
            'message' => [Events\MessageEvent::class, 'MessageView'], 'chat' => [Events\ChatEvent::class, 'ChatView'],
            'customer' => [Events\CustomerEvent::class, 'CustomerView'], 'bulk' => [Events\BulkEvent::class, 'BulkJobView'],
            'webhook' => [Events\WebhookTestEvent::class, null],
        ][explode('.', $sample['type'])[0]];
        $sent = json_decode($sample['body'], true, flags: JSON_THROW_ON_ERROR)['data'];

        $this->assertInstanceOf($class, $event);
        $this->assertSame($sample['type'], $event->type);
        if ($schema === null) {
            $this->assertSame($sent['webhook_id'], $event->data->webhook_id);
        } else {
            $fields = $event->data::wireFields();
            sort($fields);
            $this->assertSame(Harness::fieldsOf($schema), $fields);
            $this->assertSame($sent['id'], $event->data->id);
        }
    }

    public function testAnEventOfATypeThisSdkDoesNotKnowKeepsItsData(): void
    {
        $secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
        $body = '{"id":"evt_1","type":"order.shipped","created_at":"2026-11-18T12:00:00Z","data":{"order":42}}';
        $event = (new WebhookVerifier($secret))->verify(WebhookVerifier::generateTestHeaders($body, $secret), $body);
        $this->assertInstanceOf(Events\UnknownEvent::class, $event);
        $this->assertSame(['order' => 42], $event->data);
    }

    public function testTheVectorsHoldAtLeastTenForgedOrStaleDeliveries(): void
    {
        $this->assertGreaterThanOrEqual(10, count(array_filter(self::file()['vectors'], fn ($v) => !$v['valid'])));
    }
}
