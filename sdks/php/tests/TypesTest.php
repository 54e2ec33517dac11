<?php

declare(strict_types=1);

namespace Interflow\Tests;

use Interflow\Interflow;
use Interflow\Models;
use Interflow\Page;
use Interflow\Types;
use PHPUnit\Framework\TestCase;

/** The models and request shapes, held to docs/openapi.json (names as sdks/schema-names.json gives them). */
final class TypesTest extends TestCase
{
    /** @return array<string, mixed> */
    private static function names(): array
    {
        return json_decode((string) file_get_contents(__DIR__ . '/../../schema-names.json'), true, flags: JSON_THROW_ON_ERROR);
    }

    private static function sorted(array $names): array
    {
        sort($names);
        return $names;
    }

    public function testEverySchemaOfTheDocumentHasAType(): void
    {
        $schemas = array_values(array_diff(array_keys(Harness::openapi()['components']['schemas']), ['ErrorEnvelope']));
        $this->assertSame(self::sorted($schemas), self::sorted(array_keys(self::names()['names'])));
    }

    public function testEachResultModelHasExactlyItsSchemaFields(): void
    {
        foreach (self::names()['results'] as $schema) {
            $name = self::names()['names'][$schema];
            if (in_array($name, ['PageMeta', 'CursorMeta'], true)) {
                // A page carries either meta: each one's fields are among its own.
                $this->assertSame([], array_values(array_diff(Harness::fieldsOf($schema), self::pageFields())), $name);
                continue;
            }
            $this->assertSame(Harness::fieldsOf($schema), self::sorted(('Interflow\\Models\\' . $name)::wireFields()), $name);
        }
    }

    public function testAPageHasExactlyTheFieldsOfAPageMetaAndAWalksMeta(): void
    {
        $both = self::sorted(array_values(array_unique([...Harness::fieldsOf('PageMeta'), ...Harness::fieldsOf('CursorMeta')])));
        $this->assertSame($both, self::pageFields());
    }

    /** @return list<string> */
    private static function pageFields(): array
    {
        $names = array_map(fn ($p) => $p->getName(), (new \ReflectionClass(Page::class))->getConstructor()->getParameters());
        return self::sorted(array_values(array_diff($names, ['data', 'lastResponse'])));
    }

    public function testNestedModelsHaveExactlyTheirSchemaFields(): void
    {
        $schemas = Harness::openapi()['components']['schemas'];
        $this->assertSame(self::sorted(array_keys($schemas['DeliveryView']['properties']['attempts']['items']['properties'])), self::sorted(Models\DeliveryAttempt::wireFields()));
        $this->assertSame(self::sorted(array_keys($schemas['MessageView']['properties']['error']['properties'])), self::sorted(Models\MessageError::wireFields()));
        $this->assertSame(self::sorted(array_keys($schemas['ChannelView']['properties']['whatsapp']['properties'])), self::sorted(Models\WhatsAppNumber::wireFields()));
    }

    public function testEachRequestShapeHasExactlyItsSchemaFieldsAndRequiredOnes(): void
    {
        $doc = (string) (new \ReflectionClass(Types::class))->getDocComment();
        preg_match_all('/@psalm-type (\w+) = array\{(.*)\}$/m', $doc, $shapes, PREG_SET_ORDER);
        $byName = [];
        foreach ($shapes as [, $name, $body]) {
            // The top-level keys only: nested shapes are skipped by depth.
            $keys = [];
            $depth = 0;
            foreach (preg_split('/(\{|\}|<|>|,)/', $body, -1, PREG_SPLIT_DELIM_CAPTURE) as $part) {
                if ($part === '{' || $part === '<') {
                    $depth++;
                } elseif ($part === '}' || $part === '>') {
                    $depth--;
                } elseif ($depth === 0 && preg_match('/^\s*(\w+)(\??):/', $part, $key) === 1) {
                    $keys[$key[1]] = $key[2] === '';
                }
            }
            $byName[$name] = $keys;
        }
        $schemas = Harness::openapi()['components']['schemas'];
        foreach (self::names()['names'] as $schema => $name) {
            if (in_array($schema, self::names()['results'], true)) {
                continue;
            }
            $this->assertArrayHasKey($name, $byName, "no @psalm-type {$name} in Types");
            $this->assertSame(Harness::fieldsOf($schema), self::sorted(array_keys($byName[$name])), $name);
            $this->assertSame(self::sorted($schemas[$schema]['required'] ?? []), self::sorted(array_keys(array_filter($byName[$name]))), "{$name} required");
        }
    }

    public function testBaseUrlsAreTheDocumentsServers(): void
    {
        $this->assertSame(array_column(Harness::openapi()['servers'], 'url'), [Interflow::PRODUCTION_URL, Interflow::SANDBOX_URL]);
    }
}
