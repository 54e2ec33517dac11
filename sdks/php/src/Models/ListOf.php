<?php

declare(strict_types=1);

namespace Interflow\Models;

/** The item class of a list-typed constructor parameter of a model. */
#[\Attribute(\Attribute::TARGET_PARAMETER)]
final class ListOf
{
    /** @param class-string<Model> $class */
    public function __construct(public readonly string $class)
    {
    }
}
