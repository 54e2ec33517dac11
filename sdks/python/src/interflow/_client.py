from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
import uuid
from typing import Any, AsyncIterator, Callable, Iterator, Optional, TypeVar

import httpx

from ._call import _Call
from ._errors import InterflowError
from ._models import ErrorDetail, Page, RateLimit, ResponseInfo, from_wire
from ._resources import Bulk, Channels, Chats, Customers, Messages, Webhooks

T = TypeVar("T")

PRODUCTION_URL = "https://api.interflow.chat"
SANDBOX_URL = "https://sandbox.api.interflow.chat"


class _Base:
    """What both clients share: the request, the envelope, errors as InterflowError, and which answers to retry.

    A POST carries an Idempotency-Key that stays the same across its retries, so that a retried send or create
    (after a lost answer, a 503 or a 409 "still in progress") happens once on the server."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = PRODUCTION_URL,
        timeout: float = 30.0,
        max_retries: int = 3,
        retry_delay: float = 0.5,
        max_retry_delay: float = 30.0,
        language: Optional[str] = None,
    ) -> None:
        if not api_key:
            raise ValueError("api_key is required")
        if max_retries < 0:
            raise ValueError("max_retries must not be negative")
        self._api_key = api_key
        self._base_url = api_root(base_url)
        self._timeout = timeout
        self._max_retries = max_retries
        self._retry_delay = retry_delay
        self._max_retry_delay = max_retry_delay
        self._language = language
        self.customers = Customers(self)
        self.channels = Channels(self)
        self.messages = Messages(self)
        self.bulk = Bulk(self)
        self.chats = Chats(self)
        self.webhooks = Webhooks(self)

    def _request_of(self, call: _Call) -> httpx.Request:
        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        if self._language:
            headers["Accept-Language"] = self._language
        if call.idempotency_key:
            headers["Idempotency-Key"] = call.idempotency_key
        if call.if_match:
            headers["If-Match"] = call.if_match
        content = None
        if call.body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(call.body, ensure_ascii=False).encode("utf-8")
        query = {k: v for k, v in (call.query or {}).items() if v is not None}
        return httpx.Request(call.method, self._base_url + call.path, headers=headers, content=content, params=query)

    @staticmethod
    def _keyed(call: _Call) -> _Call:
        if call.method != "POST" or call.idempotency_key:
            return call
        return _Call(**{**call.__dict__, "idempotency_key": f"ifp_{uuid.uuid4().hex}"})

    def _wait_before_retry(self, attempt: int, response: Optional[httpx.Response]) -> Optional[float]:
        """Seconds to wait before trying again, or None when this outcome is final."""
        if attempt >= self._max_retries:
            return None
        if response is None:
            return self._backoff(attempt)
        retry_after = _retry_after(response)
        retryable = response.status_code in (429, 503) or (response.status_code == 409 and retry_after is not None)
        if not retryable or (retry_after is not None and retry_after > self._max_retry_delay):
            return None
        return retry_after if retry_after is not None else self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        exponential = self._retry_delay * 2**attempt
        return min(self._max_retry_delay, exponential / 2 + random.random() * exponential / 2)

    @staticmethod
    def _no_answer(call: _Call, error: Exception) -> InterflowError:
        return InterflowError(0, InterflowError.UNEXPECTED_RESPONSE, f"no answer from {call.method} {call.path}: {error}")

    @staticmethod
    def _read(call: _Call, response: httpx.Response) -> Any:
        request_id = response.headers.get("x-request-id")
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict):
            envelope = {}
        if response.is_success and envelope.get("success") is True and "data" in envelope:
            etag = response.headers.get("etag")
            answer = _answered(response, request_id)
            if call.result is None:
                return envelope["data"]
            if call.many:
                meta = envelope.get("meta") or {}
                items = [from_wire(call.result, item) for item in envelope["data"]]
                if "next_cursor" in meta:
                    return Page(items, None, int(meta["per_page"]), None, meta["next_cursor"], answer)
                return Page(items, int(meta.get("page", 1)), int(meta.get("per_page", len(items))), int(meta.get("total", len(items))), None, answer)
            return from_wire(call.result, envelope["data"], etag, answer)
        error = envelope.get("error")
        if envelope.get("success") is False and isinstance(error, dict) and isinstance(error.get("code"), str):
            details = [ErrorDetail(d.get("field", ""), d.get("message", "")) for d in error.get("details") or []]
            raise InterflowError(response.status_code, error["code"], error.get("message", ""), details, request_id, _retry_after(response))
        text = response.text
        raise InterflowError(
            response.status_code,
            InterflowError.UNEXPECTED_RESPONSE,
            f"HTTP {response.status_code} without the API's envelope: {text[:200] + '…' if len(text) > 200 else text}",
            None,
            request_id,
            _retry_after(response),
        )


class Interflow(_Base):
    """The Interflow API, typed: one attribute per resource.

    >>> interflow = Interflow("ifk_test_…", base_url=SANDBOX_URL)
    >>> customer = interflow.customers.create({"name": "João Silva", "phone": "5511999999999"})
    """

    PRODUCTION_URL = PRODUCTION_URL
    SANDBOX_URL = SANDBOX_URL

    def __init__(self, api_key: str, *, http_client: Optional[httpx.Client] = None, **options: Any) -> None:
        super().__init__(api_key, **options)
        self._http = http_client or httpx.Client(timeout=self._timeout)

    def _run(self, call: _Call) -> Any:
        call = self._keyed(call)
        request = self._request_of(call)
        for attempt in range(self._max_retries + 1):
            try:
                response = self._http.send(request)
            except httpx.TransportError as error:
                wait = self._wait_before_retry(attempt, None)
                if wait is None:
                    raise self._no_answer(call, error) from error
                time.sleep(wait)
                continue
            wait = self._wait_before_retry(attempt, response)
            if wait is None:
                return self._read(call, response)
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _every(self, page: Callable[[str], Page[T]]) -> Iterator[T]:
        """Every item of a list, walking it by cursor: the API returns each item that exists for the whole walk exactly
        once, whatever is added or deleted meanwhile (numbered pages would skip items as earlier ones are deleted)."""
        cursor: Optional[str] = ""
        while cursor is not None:
            current = page(cursor)
            yield from current.data
            cursor = current.next_cursor

    def get_openapi_document(self) -> str:
        """The API's OpenAPI 3.1 document (GET /v1/openapi.json), as JSON text."""
        response = self._http.send(self._request_of(_Call("GET", "/v1/openapi.json", None)))
        if not response.is_success:
            self._read(_Call("GET", "/v1/openapi.json", None), response)
        return response.text

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Interflow":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()


class AsyncInterflow(_Base):
    """The same API for asyncio: every method is awaited, and ``list_all`` is iterated with ``async for``.

    >>> async with AsyncInterflow("ifk_test_…") as interflow:
    ...     customer = await interflow.customers.retrieve("cust_…")
    """

    PRODUCTION_URL = PRODUCTION_URL
    SANDBOX_URL = SANDBOX_URL

    def __init__(self, api_key: str, *, http_client: Optional[httpx.AsyncClient] = None, **options: Any) -> None:
        super().__init__(api_key, **options)
        self._http = http_client or httpx.AsyncClient(timeout=self._timeout)

    async def _run(self, call: _Call) -> Any:
        call = self._keyed(call)
        request = self._request_of(call)
        for attempt in range(self._max_retries + 1):
            try:
                response = await self._http.send(request)
            except httpx.TransportError as error:
                wait = self._wait_before_retry(attempt, None)
                if wait is None:
                    raise self._no_answer(call, error) from error
                await asyncio.sleep(wait)
                continue
            wait = self._wait_before_retry(attempt, response)
            if wait is None:
                return self._read(call, response)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _every(self, page: Callable[[str], Any]) -> AsyncIterator[Any]:
        cursor: Optional[str] = ""
        while cursor is not None:
            current = await page(cursor)
            for item in current.data:
                yield item
            cursor = current.next_cursor

    async def get_openapi_document(self) -> str:
        response = await self._http.send(self._request_of(_Call("GET", "/v1/openapi.json", None)))
        if not response.is_success:
            self._read(_Call("GET", "/v1/openapi.json", None), response)
        return response.text

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncInterflow":
        return self

    async def __aexit__(self, *_: Any) -> None:
        await self.aclose()


def api_root(base_url: str) -> str:
    """The API's root, whichever way it was written: the reference gives the base URL as ``https://api.interflow.chat/v1``,
    and every path here starts with ``/v1``, so a trailing ``/v1`` (and any trailing slash) is dropped."""
    root = base_url.rstrip("/")
    if root.lower().endswith("/v1"):
        root = root[:-3].rstrip("/")
    return root


def _answered(response: httpx.Response, request_id: Optional[str]) -> ResponseInfo:
    def number(name: str) -> Optional[int]:
        value = (response.headers.get(name) or "").strip()
        return int(value) if value.isdigit() else None

    limit, remaining, reset = number("x-ratelimit-limit"), number("x-ratelimit-remaining"), number("x-ratelimit-reset")
    rate_limit = RateLimit(limit, remaining, reset) if limit is not None and remaining is not None and reset is not None else None
    replayed = (response.headers.get("idempotent-replayed") or "").lower() == "true"
    return ResponseInfo(request_id, response.status_code, rate_limit, replayed)


def _retry_after(response: httpx.Response) -> Optional[float]:
    header = response.headers.get("retry-after")
    if header is None or not header.strip():
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
