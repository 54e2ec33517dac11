<?php

declare(strict_types=1);

namespace Interflow\Tests;

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

    public function testTheVectorsHoldAtLeastTenForgedOrStaleDeliveries(): void
    {
        $this->assertGreaterThanOrEqual(10, count(array_filter(self::file()['vectors'], fn ($v) => !$v['valid'])));
    }
}
