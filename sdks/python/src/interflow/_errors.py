from __future__ import annotations

from typing import List, Optional

from ._models import ErrorDetail


class InterflowError(Exception):
    """An error answer of the API: its HTTP status, its ``code`` (``VALIDATION_ERROR``, ``NOT_FOUND``, …), the
    message and every invalid field. An answer outside the API's envelope (a proxy's page, or no answer at all after
    the retries, status 0) has the code ``UNEXPECTED_RESPONSE``."""

    UNEXPECTED_RESPONSE = "UNEXPECTED_RESPONSE"

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Optional[List[ErrorDetail]] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details: List[ErrorDetail] = details or []
        #: The answer's X-Request-Id, to quote to support.
        self.request_id = request_id
        #: How long the API asked to wait, in seconds (429, 503, a request still in progress).
        self.retry_after = retry_after

    def __str__(self) -> str:
        fields = "".join(f"; {d.field}: {d.message}" for d in self.details)
        request = f" (request {self.request_id})" if self.request_id else ""
        return f"{self.status} {self.code}: {self.message}{fields}{request}"


class WebhookVerificationError(Exception):
    """A webhook delivery that did not prove it came from the API: a missing header, a bad signature or a stale
    timestamp."""
