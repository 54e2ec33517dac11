<?php

require __DIR__ . '/../vendor/autoload.php';

use Interflow\Interflow;
use Interflow\InterflowException;

$interflow = new Interflow(getenv('INTERFLOW_API_KEY'), getenv('INTERFLOW_BASE_URL') ?: Interflow::SANDBOX_URL);
$channel = $interflow->channels->create(['name' => 'Loja', 'kind' => 'sandbox']);
$message = $interflow->messages->send(['channel_id' => $channel->id, 'to' => '5511987654321', 'type' => 'text', 'content' => ['text' => 'Seu pedido saiu para entrega']]);
echo "message {$message->id}: {$message->status}\n";
foreach ($interflow->customers->listAll() as $customer) {
    echo "customer {$customer->id} {$customer->phone}\n";
}
try {
    $interflow->customers->create(['name' => '']);
} catch (InterflowException $e) {
    echo "{$e->status} {$e->errorCode}: " . implode(', ', array_map(fn ($d) => $d->field, $e->details)) . "\n";
}
