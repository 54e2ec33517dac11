<?php

declare(strict_types=1);

namespace Interflow;

use Interflow\Models\ErrorDetail;

/**
 * An error answer of the API: its HTTP status, its code (VALIDATION_ERROR, NOT_FOUND, …), the message and every
 * invalid field. An answer outside the API's envelope (a proxy's page, or no answer at all after the retries,
 * status 0) has the code UNEXPECTED_RESPONSE.
 */
final class InterflowException extends \RuntimeException
{
    public const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

    /**
     * @param list<ErrorDetail> $details
     * @param ?float $retryAfter seconds the API asked to wait (429, 503, a request still in progress)
     */
    public function __construct(
        public readonly int $status,
        public readonly string $errorCode,
        string $message,
        public readonly array $details = [],
        public readonly ?string $requestId = null,
        public readonly ?float $retryAfter = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, 0, $previous);
    }

    public function __toString(): string
    {
        $fields = implode('', array_map(fn (ErrorDetail $d) => "; {$d->field}: {$d->message}", $this->details));
        $request = $this->requestId === null ? '' : " (request {$this->requestId})";
        return "{$this->status} {$this->errorCode}: {$this->getMessage()}{$fields}{$request}";
    }
}
