<?php

declare(strict_types=1);

namespace Interflow\Models;

/**
 * A result of the API, built from its JSON object by its constructor's parameters, named as on the wire (snake_case).
 * A parameter typed with another model takes it nested; a list of models says its item class with #[ListOf].
 * A result carries what came back besides its fields: a read's $etag (for if_match on an update) and $lastResponse,
 * the answer that carried it (null on the items of a list: the page carries it). Neither is one of the schema's fields.
 */
abstract class Model
{
    /** @param array<string, mixed> $data */
    public static function fromArray(array $data, ?string $etag = null, ?\Interflow\ResponseInfo $lastResponse = null): static
    {
        $arguments = [];
        foreach (self::constructor(static::class)->getParameters() as $parameter) {
            $name = $parameter->getName();
            if ($name === 'etag' || $name === 'lastResponse') {
                $arguments[$name] = $name === 'etag' ? $etag : $lastResponse;
                continue;
            }
            $value = $data[$name] ?? null;
            $type = $parameter->getType();
            $class = $type instanceof \ReflectionNamedType && !$type->isBuiltin() ? $type->getName() : null;
            if ($value !== null && $class !== null && is_subclass_of($class, self::class)) {
                $value = $class::fromArray($value);
            } elseif (is_array($value) && ($list = $parameter->getAttributes(ListOf::class)) !== []) {
                $item = $list[0]->newInstance()->class;
                $value = array_map(fn (array $one) => $item::fromArray($one), $value);
            }
            $arguments[$name] = $value;
        }
        return new static(...$arguments);
    }

    /** @return list<string> the names this model has on the wire */
    public static function wireFields(): array
    {
        $names = array_map(fn (\ReflectionParameter $p) => $p->getName(), self::constructor(static::class)->getParameters());
        return array_values(array_filter($names, fn (string $name) => $name !== 'etag' && $name !== 'lastResponse'));
    }

    private static function constructor(string $class): \ReflectionMethod
    {
        static $constructors = [];
        return $constructors[$class] ??= (new \ReflectionClass($class))->getConstructor();
    }
}
