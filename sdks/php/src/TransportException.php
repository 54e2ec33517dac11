<?php

declare(strict_types=1);

namespace Interflow;

/** Nothing answered: the connection was refused, reset or timed out. */
final class TransportException extends \RuntimeException
{
}
