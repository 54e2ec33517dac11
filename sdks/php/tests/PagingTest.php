<?php

declare(strict_types=1);

namespace Interflow\Tests;

use PHPUnit\Framework\TestCase;

final class PagingTest extends TestCase
{
    public function testAutoPagingOver250CustomersYieldsEachIdOnce(): void
    {
        [$interflow] = Harness::newClient();
        $created = [];
        for ($i = 0; $i < 250; $i++) {
            $created[] = $interflow->customers->create(['name' => "Cliente {$i}", 'email' => "c{$i}@example.com"])->id;
        }

        $seen = [];
        foreach ($interflow->customers->listAll() as $customer) {
            $seen[] = $customer->id;
        }
        $first = $interflow->customers->list(['per_page' => 100]);

        $this->assertCount(250, $seen);
        $this->assertCount(250, array_unique($seen));
        sort($seen);
        sort($created);
        $this->assertSame($created, $seen);
        $this->assertSame([250, 100, true], [$first->total, count($first), $first->hasMore()]);
    }
}
