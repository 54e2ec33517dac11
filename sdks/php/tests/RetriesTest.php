<?php

declare(strict_types=1);

namespace Interflow\Tests;

use Interflow\Interflow;
use Interflow\InterflowException;
use PHPUnit\Framework\TestCase;

final class RetriesTest extends TestCase
{
    private static function posts(string $key, string $path): array
    {
        return array_values(array_filter(Harness::requests($key), fn ($r) => $r['method'] === 'POST' && $r['path'] === $path));
    }

    public function testALostAnswerIsRetriedWithTheSameKeyAndTheMessageExistsOnce(): void
    {
        [$interflow, $key] = Harness::newClient();
        $channel = $interflow->channels->create(['name' => 'Loja', 'kind' => 'sandbox']);
        $to = Harness::uniquePhone();
        Harness::faults($key, ['lose' => true], ['lose' => true]);

        $message = $interflow->messages->send(['channel_id' => $channel->id, 'to' => $to, 'type' => 'text', 'content' => ['text' => 'Pedido confirmado']]);

        $tries = self::posts($key, '/v1/messages/send');
        $this->assertSame(['lost', 'lost', ''], array_column($tries, 'fault'));
        $this->assertCount(1, array_unique(array_column($tries, 'idempotency_key')));
        $this->assertStringStartsWith('ifphp_', $tries[0]['idempotency_key']);
        $chat = $interflow->chats->open(['channel_id' => $channel->id, 'phone' => $to]);
        $this->assertSame([$message->id], array_map(fn ($m) => $m->id, iterator_to_array($interflow->chats->listAllMessages($chat->id), false)));
    }

    public function testACallersOwnKeyIsTheOneEveryRetryCarries(): void
    {
        [$interflow, $key] = Harness::newClient();
        Harness::faults($key, ['lose' => true], ['status' => 503, 'retry_after' => '0', 'body' => Harness::UNAVAILABLE]);

        $first = $interflow->customers->create(['name' => 'Ana', 'email' => 'ana@example.com'], ['idempotency_key' => 'crm-42']);
        $again = $interflow->customers->create(['name' => 'Ana', 'email' => 'ana@example.com'], ['idempotency_key' => 'crm-42']);
        $interflow->customers->create(['name' => 'Bia', 'email' => 'bia@example.com']);

        $keys = array_column(self::posts($key, '/v1/customers'), 'idempotency_key');
        $this->assertSame(array_fill(0, 4, 'crm-42'), array_slice($keys, 0, 4));
        $this->assertNotSame('crm-42', $keys[4]);
        $this->assertSame($first->id, $again->id);
        $this->assertSame(2, $interflow->customers->list()->total);
    }

    public function testInProgress409And503And429AreRetriedAfterTheirRetryAfter(): void
    {
        [$interflow, $key] = Harness::newClient();
        Harness::faults($key,
            ['status' => 409, 'retry_after' => '1', 'body' => Harness::IN_PROGRESS],
            ['status' => 503, 'retry_after' => '0', 'body' => Harness::UNAVAILABLE],
            ['status' => 429, 'retry_after' => '1', 'body' => Harness::RATE_LIMITED]);
        $started = microtime(true);

        $customer = $interflow->customers->create(['name' => 'Dora', 'email' => 'dora@example.com']);

        $this->assertGreaterThanOrEqual(2.0, microtime(true) - $started); // at least as long as asked, twice
        $tries = self::posts($key, '/v1/customers');
        $this->assertSame([409, 503, 429, 201], array_column($tries, 'status'));
        $this->assertCount(1, array_unique(array_column($tries, 'idempotency_key')));
        $this->assertSame($customer->id, $interflow->customers->list(['email' => 'dora@example.com'])->data[0]->id);
    }

    public function testRetriesStopAtTheCapAndTheLastAnswerIsRaised(): void
    {
        [$interflow, $key] = Harness::newClient(maxRetries: 2);
        Harness::faults($key, ...array_fill(0, 3, ['status' => 503, 'retry_after' => '0', 'body' => Harness::UNAVAILABLE]));

        $error = Harness::raised(fn () => $interflow->customers->list());

        $this->assertSame([503, 'SERVICE_UNAVAILABLE', 0.0], [$error->status, $error->errorCode, $error->retryAfter]);
        $this->assertCount(3, Harness::requests($key));
    }

    public function testARetryAfterBeyondTheLongestWaitIsRaisedAtOnce(): void
    {
        [$interflow, $key] = Harness::newClient(maxRetryDelay: 1.0);
        Harness::faults($key, ['status' => 429, 'retry_after' => '30', 'body' => Harness::RATE_LIMITED]);

        $error = Harness::raised(fn () => $interflow->channels->list());

        $this->assertSame([429, 'RATE_LIMIT_EXCEEDED', 30.0], [$error->status, $error->errorCode, $error->retryAfter]);
        $this->assertCount(1, Harness::requests($key));
    }

    public function testStartersRealRateLimitIsRaisedWithItsRetryAfter(): void
    {
        [$interflow, $key] = Harness::newClient(plan: 'starter', maxRetryDelay: 1.0);
        $error = null;
        for ($call = 0; $call < 130 && $error === null; $call++) {
            try {
                $interflow->channels->list();
            } catch (InterflowException $e) {
                $error = $e;
            }
        }
        $this->assertNotNull($error);
        $this->assertSame([429, 'RATE_LIMIT_EXCEEDED'], [$error->status, $error->errorCode]);
        $this->assertGreaterThan(1.0, $error->retryAfter);
        // Raised at once, not retried: the last request is the refused one (a minute turning mid-loop may add an earlier,
        // retried 429 with a short Retry-After).
        $seen = Harness::requests($key);
        $this->assertSame(429, $seen[count($seen) - 1]['status']);
        $this->assertLessThanOrEqual(2, count(array_filter($seen, fn ($r) => $r['status'] === 429)));
    }

    public function testAPlain409AndA422AreRaisedAtOnceWithCodeAndDetails(): void
    {
        [$interflow, $key] = Harness::newClient();
        $interflow->customers->create(['name' => 'Eva', 'email' => 'eva@example.com']);

        $conflict = Harness::raised(fn () => $interflow->customers->create(['name' => 'Eva 2', 'email' => 'EVA@example.com']));
        $invalid = Harness::raised(fn () => $interflow->messages->send(['channel_id' => 'ch_x', 'to' => '123', 'type' => 'text', 'content' => ['text' => '']]));

        $this->assertSame([409, 'CONFLICT', null], [$conflict->status, $conflict->errorCode, $conflict->retryAfter]);
        $this->assertSame([422, 'VALIDATION_ERROR'], [$invalid->status, $invalid->errorCode]);
        $this->assertContains('content.text', array_map(fn ($d) => $d->field, $invalid->details));
        $this->assertCount(2, self::posts($key, '/v1/customers'));
        $this->assertCount(1, self::posts($key, '/v1/messages/send'));
    }

    public function testAnAnswerOutsideTheEnvelopeIsUnexpectedAndNotRetried(): void
    {
        [$interflow, $key] = Harness::newClient();
        Harness::faults($key, ['status' => 502, 'content_type' => 'text/html', 'body' => '<html>Bad gateway</html>']);

        $error = Harness::raised(fn () => $interflow->chats->list());

        $this->assertSame([502, InterflowException::UNEXPECTED_RESPONSE], [$error->status, $error->errorCode]);
        $this->assertStringContainsString('Bad gateway', $error->getMessage());
        $this->assertCount(1, Harness::requests($key));
    }

    public function testNoAnswerAtAllIsUnexpectedWithStatus0AfterTheRetries(): void
    {
        $interflow = new Interflow('ifk_test_x', 'http://127.0.0.1:9', maxRetries: 1, retryDelay: 0.01);

        $error = Harness::raised(fn () => $interflow->customers->list());

        $this->assertSame([0, 'UNEXPECTED_RESPONSE'], [$error->status, $error->errorCode]);
    }
}
