<?php

declare(strict_types=1);

namespace Interflow;

/** A webhook delivery that did not prove it came from the API: a missing header, a bad signature or a stale timestamp. */
final class WebhookVerificationException extends \RuntimeException
{
}
