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

    public function testListAllReturnsEachCustomerThatStaysExactlyOnceWhileOthersAreDeletedAndAdded(): void
    {
        [$interflow] = Harness::newClient();
        $tag = 'walk' . bin2hex(random_bytes(4));
        $created = [];
        for ($i = 0; $i < 230; $i++) {
            $created[] = $interflow->customers->create(['name' => 'Cliente', 'phone' => Harness::uniquePhone(), 'tags' => [$tag]])->id;
        }

        $listed = [];
        $deleted = [];
        foreach ($interflow->customers->listAll(['tag' => $tag]) as $customer) {
            $listed[] = $customer->id;
            if (count($listed) === 50) {
                // Twenty already listed go, and two come: numbered pages would now start twenty items later.
                foreach (array_slice($listed, 0, 20) as $id) {
                    $interflow->customers->delete($id);
                    $deleted[$id] = true;
                }
                for ($i = 0; $i < 2; $i++) {
                    $interflow->customers->create(['name' => 'Nova', 'phone' => Harness::uniquePhone(), 'tags' => [$tag]]);
                }
            }
        }

        $stayed = array_values(array_filter($created, fn ($id) => !isset($deleted[$id])));
        $listedThatStayed = array_values(array_filter($listed, fn ($id) => !isset($deleted[$id])));
        sort($stayed);
        sort($listedThatStayed);
        $this->assertSame($stayed, $listedThatStayed);
        $this->assertCount(count($listed), array_unique($listed));
    }

    public function testAPageOfAWalkHasNextCursorAndPerPageNeitherPageNorTotal(): void
    {
        [$interflow] = Harness::newClient();
        for ($i = 0; $i < 3; $i++) {
            $interflow->customers->create(['name' => 'Cliente', 'phone' => Harness::uniquePhone()]);
        }

        $first = $interflow->customers->list(['cursor' => '', 'per_page' => 2]);
        $last = $interflow->customers->list(['cursor' => $first->next_cursor, 'per_page' => 2]);

        $this->assertSame([2, true, null, null], [count($first), $first->hasMore(), $first->page, $first->total]);
        $this->assertSame([1, false, null], [count($last), $last->hasMore(), $last->next_cursor]);
    }
}
