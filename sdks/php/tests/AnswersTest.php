<?php

declare(strict_types=1);

namespace Interflow\Tests;

use Interflow\CurlTransport;
use Interflow\HttpResponse;
use Interflow\Interflow;
use Interflow\Transport;
use PHPUnit\Framework\TestCase;

final class AnswersTest extends TestCase
{
    /** @return iterable<string, array{string}> */
    public static function suffixes(): iterable
    {
        foreach (['', '/', '/v1', '/v1/'] as $suffix) {
            yield "\"…{$suffix}\"" => [$suffix];
        }
    }

    /** @dataProvider suffixes */
    public function testTheBaseUrlWorksAsTheReferenceWritesIt(string $suffix): void
    {
        $key = Harness::newKey();
        $interflow = new Interflow($key, Harness::baseUrl() . $suffix);

        $page = $interflow->customers->list();

        $this->assertSame([], $page->data);
        $this->assertSame(['/v1/customers'], array_column(Harness::requests($key), 'path'));
    }

    public function testEveryResultCarriesItsAnswerRequestIdStatusRateLimitAndReplay(): void
    {
        [$interflow] = Harness::newClient();
        $channel = $interflow->channels->create(['name' => 'Loja', 'kind' => 'sandbox']);
        $phone = Harness::uniquePhone();

        $opened = $interflow->chats->open(['channel_id' => $channel->id, 'phone' => $phone]);
        $found = $interflow->chats->open(['channel_id' => $channel->id, 'phone' => $phone]);
        $customer = ['name' => 'Ana', 'phone' => Harness::uniquePhone()];
        $first = $interflow->customers->create($customer, ['idempotency_key' => 'order-21']);
        $again = $interflow->customers->create($customer, ['idempotency_key' => 'order-21']);
        $page = $interflow->customers->list();

        $this->assertSame([201, 200, $opened->id], [$opened->lastResponse->status, $found->lastResponse->status, $found->id]);
        $this->assertStringStartsWith('req_', $first->lastResponse->requestId);
        $this->assertSame([false, true, $first->id], [$first->lastResponse->idempotentReplayed, $again->lastResponse->idempotentReplayed, $again->id]);
        $this->assertNotSame($first->lastResponse->requestId, $again->lastResponse->requestId);
        $this->assertSame(1000, $page->lastResponse->rateLimit->limit);
        $this->assertLessThanOrEqual(994, $page->lastResponse->rateLimit->remaining);
        $this->assertNull($page->data[0]->lastResponse);
    }

    public function testTheTransportCanBeWrappedAndSeesEveryRequestAndAnswer(): void
    {
        $seen = [];
        $logging = new class (new CurlTransport(), $seen) implements Transport {
            /** @param list<string> $seen */
            public function __construct(private readonly Transport $inner, private array &$seen)
            {
            }

            public function send(string $method, string $url, array $headers, ?string $body, float $timeout): HttpResponse
            {
                $answer = $this->inner->send($method, $url, $headers, $body, $timeout);
                $this->seen[] = "{$method} " . parse_url($url, PHP_URL_PATH) . " {$answer->status}";
                return $answer;
            }
        };
        $interflow = new Interflow(Harness::newKey(), Harness::baseUrl(), transport: $logging);

        $created = $interflow->customers->create(['name' => 'Ana', 'phone' => Harness::uniquePhone()]);
        $interflow->customers->retrieve($created->id);

        $this->assertSame(['POST /v1/customers 201', "GET /v1/customers/{$created->id} 200"], $seen);
    }
}
