<?php

declare(strict_types=1);

namespace Interflow\Tests;

use PHPUnit\Framework\TestCase;

final class ReadmeExampleTest extends TestCase
{
    public function testTheReadmesExampleRunsAgainstTheServer(): void
    {
        $command = sprintf('INTERFLOW_API_KEY=%s INTERFLOW_BASE_URL=%s %s %s 2>&1',
            escapeshellarg(Harness::newKey()), escapeshellarg(Harness::baseUrl()), escapeshellarg(PHP_BINARY), escapeshellarg(__DIR__ . '/../examples/quickstart.php'));
        exec($command, $lines, $exit);
        $output = implode("\n", $lines);

        $this->assertSame(0, $exit, $output);
        $this->assertMatchesRegularExpression('/^message msg_\w+: (sent|queued)$/m', $output);
        $this->assertMatchesRegularExpression('/^customer \w+ 5511987654321$/m', $output);
        $this->assertMatchesRegularExpression('/^422 VALIDATION_ERROR: name/m', $output);
    }
}
