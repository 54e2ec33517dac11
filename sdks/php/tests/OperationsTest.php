<?php

declare(strict_types=1);

namespace Interflow\Tests;

use Interflow\Models\Model;
use PHPUnit\Framework\TestCase;

final class OperationsTest extends TestCase
{
    private static function assertShape(Model $result, string $schema): void
    {
        $fields = $result::wireFields();
        sort($fields);
        self::assertSame(Harness::fieldsOf($schema), $fields, $schema);
    }

    public function testCustomersCreateRetrieveUpdateWithIfMatchListAndDelete(): void
    {
        [$interflow] = Harness::newClient();
        $phone = Harness::uniquePhone();
        $created = $interflow->customers->create(['name' => 'João Silva', 'phone' => $phone, 'tags' => ['vip'], 'custom_fields' => ['plano' => 'ouro']]);
        $read = $interflow->customers->retrieve($created->id);
        $updated = $interflow->customers->update($created->id, ['email' => 'joao@example.com', 'custom_fields' => ['plano' => null]], ['if_match' => $read->etag]);
        $page = $interflow->customers->list(['tag' => 'vip', 'per_page' => 10]);
        $byPhone = $interflow->customers->list(['phone' => $phone]);
        $stale = Harness::raised(fn () => $interflow->customers->update($created->id, ['name' => 'Outro'], ['if_match' => $read->etag]));
        $deleted = $interflow->customers->delete($created->id);
        $gone = Harness::raised(fn () => $interflow->customers->retrieve($created->id));

        self::assertShape($created, 'CustomerView');
        $this->assertNotNull($read->etag);
        $this->assertSame([$created->id, $created->name, $created->tags], [$read->id, $read->name, $read->tags]);
        $this->assertSame(['joao@example.com', []], [$updated->email, $updated->custom_fields]);
        $this->assertSame([1, 1, 10, false, $created->id], [$page->total, $page->page, $page->per_page, $page->hasMore(), $page->data[0]->id]);
        $this->assertSame($created->id, $byPhone->data[0]->id);
        $this->assertSame([412, 'PRECONDITION_FAILED'], [$stale->status, $stale->errorCode]);
        $this->assertSame([$created->id, true], [$deleted->id, $deleted->deleted]);
        $this->assertSame([404, 'NOT_FOUND'], [$gone->status, $gone->errorCode]);
    }

    public function testChannelsMessagesAndChats(): void
    {
        [$interflow] = Harness::newClient();
        $channel = $interflow->channels->create(['name' => 'Loja', 'kind' => 'sandbox', 'messages_per_second' => 50]);
        $to = Harness::uniquePhone();
        $message = $interflow->messages->send(['channel_id' => $channel->id, 'to' => $to, 'type' => 'text', 'content' => ['text' => 'Pedido confirmado'], 'metadata' => ['order' => 42]]);
        $readMessage = $interflow->messages->retrieve($message->id);
        $chat = $interflow->chats->open(['channel_id' => $channel->id, 'phone' => $to]);
        $chats = $interflow->chats->list(['channel_id' => $channel->id, 'status' => 'open']);
        $history = $interflow->chats->listMessages($chat->id, ['order' => 'desc']);
        $every = array_map(fn ($m) => $m->id, iterator_to_array($interflow->chats->listAllMessages($chat->id), false));
        $closed = $interflow->chats->update($chat->id, ['status' => 'closed'], ['if_match' => $interflow->chats->retrieve($chat->id)->etag]);
        $channels = $interflow->channels->list();
        $readChannel = $interflow->channels->retrieve($channel->id);
        $allChannels = array_map(fn ($c) => $c->id, iterator_to_array($interflow->channels->listAll(), false));

        self::assertShape($channel, 'ChannelView');
        self::assertShape($message, 'MessageView');
        self::assertShape($chat, 'ChatView');
        $this->assertContains($message->status, ['sent', 'queued']);
        $this->assertSame([['order' => 42], null, $to], [$readMessage->metadata, $readMessage->from, $readMessage->to]);
        $this->assertSame($message->chat_id, $chat->id);
        $this->assertSame([$chat->id], array_map(fn ($c) => $c->id, $chats->data));
        $this->assertSame([$message->id], array_map(fn ($m) => $m->id, $history->data));
        $this->assertSame([$message->id], $every);
        $this->assertSame(['closed', 1, 'Loja', null], [$closed->status, $channels->total, $readChannel->name, $readChannel->whatsapp]);
        $this->assertSame([$channel->id], $allChannels);
    }

    public function testBulkSubmitRetrieveCancel(): void
    {
        [$interflow] = Harness::newClient();
        $channel = $interflow->channels->create(['name' => 'Campanha', 'kind' => 'sandbox', 'messages_per_second' => 1]);
        $recipients = array_map(fn () => ['to' => Harness::uniquePhone(), 'variables' => ['Ana']], range(1, 30));
        $job = $interflow->bulk->submit(['channel_id' => $channel->id, 'type' => 'text', 'content' => ['text' => 'Olá {{1}}'], 'recipients' => $recipients]);
        $read = $interflow->bulk->retrieve($job->id);
        $cancelled = $interflow->bulk->cancel($job->id);

        self::assertShape($job, 'BulkJobView');
        $this->assertSame([30, $job->id], [$job->total, $read->id]);
        $this->assertTrue($cancelled->cancel_requested || $cancelled->status === 'completed');
    }

    public function testWebhooksSecretOnceThenReadUpdateListPingDeliveriesDelete(): void
    {
        [$interflow] = Harness::newClient();
        $created = $interflow->webhooks->create(['url' => Harness::env('INTERFLOW_TEST_SINK'), 'events' => ['customer.created'], 'description' => 'CRM']);
        $read = $interflow->webhooks->retrieve($created->id);
        $updated = $interflow->webhooks->update($created->id, ['events' => ['customer.created', 'message.read']], ['if_match' => $read->etag]);
        $listed = $interflow->webhooks->list();
        $ping = $interflow->webhooks->test($created->id);
        $deliveries = $interflow->webhooks->listDeliveries($created->id);
        $every = array_map(fn ($d) => $d->id, iterator_to_array($interflow->webhooks->listAllDeliveries($created->id), false));
        $deleted = $interflow->webhooks->delete($created->id);

        self::assertShape($created, 'CreatedWebhookView');
        self::assertShape($read, 'WebhookView');
        self::assertShape($ping, 'DeliveryView');
        $this->assertStringStartsWith('whsec_', $created->secret);
        $this->assertSame(['customer.created', 'message.read'], $updated->events);
        $this->assertSame([$created->id], array_map(fn ($w) => $w->id, $listed->data));
        $this->assertSame(['webhook.test', 'succeeded', 204], [$ping->event_type, $ping->status, $ping->attempts[0]->status_code]);
        $this->assertContains($ping->id, array_map(fn ($d) => $d->id, $deliveries->data));
        $this->assertContains($ping->id, $every);
        $this->assertTrue($deleted->deleted);
    }

    public function testTheOpenApiDocumentAndA422WithEveryField(): void
    {
        [$interflow] = Harness::newClient(language: 'en');
        $document = json_decode($interflow->getOpenApiDocument(), true);
        $invalid = Harness::raised(fn () => $interflow->customers->create(['name' => '', 'email' => 'not an email']));

        $this->assertSame('3.1.1', $document['openapi']);
        $this->assertSame([422, 'VALIDATION_ERROR'], [$invalid->status, $invalid->errorCode]);
        $this->assertNotNull($invalid->requestId);
        $fields = array_map(fn ($d) => $d->field, $invalid->details);
        $this->assertContains('name', $fields);
        $this->assertContains('email', $fields);
    }
}
