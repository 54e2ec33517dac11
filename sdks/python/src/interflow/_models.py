"""The API's results, one dataclass per schema of docs/openapi.json, snake_case as on the wire.

A result carries what came back besides its fields: a read's ``etag`` (for ``if_match`` on an update) and
``last_response``, the answer that carried it. Neither is one of the schema's fields, nor part of equality."""
from __future__ import annotations

import dataclasses
import functools
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, Generic, List, Literal, Optional, Type, TypeVar, Union, get_type_hints

T = TypeVar("T")

def _etag() -> Any:
    return field(default=None, compare=False, repr=False, metadata={"wire": False})


_answer = _etag


@dataclass(frozen=True)
class RateLimit:
    """Where the account's rate limit stands: requests per minute of its plan, left in this window, and when it resets (Unix seconds)."""

    limit: int
    remaining: int
    reset: int


@dataclass(frozen=True)
class ResponseInfo:
    """What the API answered besides the data: the request's id (quote it to support), the status (201 for a new chat,
    200 for the open one it found; 201 or 202 for a send), the rate limit, and whether this is the stored answer to an
    earlier request with the same Idempotency-Key (nothing was done again)."""

    request_id: Optional[str]
    status: int
    rate_limit: Optional[RateLimit]
    idempotent_replayed: bool


@dataclass(frozen=True)
class Customer:
    id: str
    name: str
    email: Optional[str]
    phone: Optional[str]
    tags: List[str]
    custom_fields: Dict[str, Union[str, float, bool]]
    created_at: str
    updated_at: str
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class Deleted:
    id: str
    deleted: bool
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class WhatsAppNumber:
    phone_number_id: str


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    kind: str
    messages_per_second: int
    whatsapp: Optional[WhatsAppNumber]
    webhook_path: Optional[str]
    created_at: str
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class MessageError:
    code: str
    message: str


@dataclass(frozen=True)
class Message:
    id: str
    status: str
    channel_id: str
    chat_id: str
    customer_id: str
    direction: str
    to: Optional[str]
    from_: Optional[str] = field(metadata={"name": "from"})
    type: str
    content: Dict[str, Any]
    metadata: Optional[Dict[str, Any]]
    error: Optional[MessageError]
    created_at: str
    updated_at: str
    sent_at: Optional[str]
    delivered_at: Optional[str]
    read_at: Optional[str]
    failed_at: Optional[str]
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class BulkJob:
    id: str
    channel_id: str
    status: str
    total: int
    queued: int
    sent: int
    failed: int
    cancelled: int
    cancel_requested: bool
    created_at: str
    updated_at: str
    completed_at: Optional[str]
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class Chat:
    id: str
    channel_id: str
    customer_id: str
    status: str
    last_message_at: Optional[str]
    unread_count: int
    created_at: str
    updated_at: str
    closed_at: Optional[str]
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class Webhook:
    id: str
    url: str
    events: List[str]
    description: Optional[str]
    enabled: bool
    disabled_reason: Optional[str]
    created_at: str
    updated_at: str
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class CreatedWebhook:
    """The one answer that shows the endpoint's ``whsec_`` secret: keep it to verify deliveries."""

    id: str
    url: str
    events: List[str]
    description: Optional[str]
    enabled: bool
    secret: str = field(repr=False)
    created_at: str
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class DeliveryAttempt:
    at: str
    status_code: Optional[int]
    error: Optional[str]
    duration_ms: int


@dataclass(frozen=True)
class WebhookDelivery:
    id: str
    webhook_id: str
    event_id: str
    event_type: str
    status: str
    attempts: List[DeliveryAttempt]
    next_attempt_at: Optional[str]
    created_at: str
    updated_at: str
    etag: Optional[str] = _etag()
    last_response: Optional[ResponseInfo] = _answer()


@dataclass(frozen=True)
class ErrorDetail:
    """One invalid field of a request, by its JSON path (``content.text``, ``tags[3]``)."""

    field: str
    message: str


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: by number (with ``page`` and the list's ``total``), or of a walk by cursor (with
    ``next_cursor``, None after the last item, and neither of those)."""

    data: List[T]
    page: Optional[int]
    per_page: int
    total: Optional[int]
    next_cursor: Optional[str] = None
    last_response: Optional[ResponseInfo] = _answer()

    @property
    def has_more(self) -> bool:
        if self.page is None:
            return self.next_cursor is not None
        return self.page * self.per_page < (self.total or 0)


@dataclass(frozen=True)
class WebhookTestData:
    webhook_id: str


@dataclass(frozen=True)
class MessageEvent:
    """``message.sent``, ``.delivered``, ``.read``, ``.failed`` or ``.received``, with the message as the API answers it."""

    id: str
    type: Literal["message.sent", "message.delivered", "message.read", "message.failed", "message.received"]
    created_at: str
    data: Message


@dataclass(frozen=True)
class ChatEvent:
    id: str
    type: Literal["chat.created", "chat.closed"]
    created_at: str
    data: Chat


@dataclass(frozen=True)
class CustomerEvent:
    """``customer.created``, ``.updated`` or ``.deleted`` (with the customer as it was)."""

    id: str
    type: Literal["customer.created", "customer.updated", "customer.deleted"]
    created_at: str
    data: Customer


@dataclass(frozen=True)
class BulkEvent:
    id: str
    type: Literal["bulk.completed"]
    created_at: str
    data: BulkJob


@dataclass(frozen=True)
class WebhookTestEvent:
    id: str
    type: Literal["webhook.test"]
    created_at: str
    data: WebhookTestData


@dataclass(frozen=True)
class UnknownEvent:
    """An event of a type this version of the SDK does not know yet: its data as sent."""

    id: str
    type: str
    created_at: str
    data: Dict[str, Any]


WebhookEvent = Union[MessageEvent, ChatEvent, CustomerEvent, BulkEvent, WebhookTestEvent, UnknownEvent]
"""An event as delivered to a webhook endpoint: its class (and ``type``) says what ``data`` is."""

_EVENTS: Dict[str, type] = {"message": MessageEvent, "chat": ChatEvent, "customer": CustomerEvent, "bulk": BulkEvent, "webhook": WebhookTestEvent}


def event_from_wire(event: Dict[str, Any]) -> WebhookEvent:
    """The typed event of a delivery's JSON, by its type."""
    cls = _EVENTS.get(str(event["type"]).split(".")[0], UnknownEvent)
    return from_wire(cls, event)  # type: ignore[return-value]


def wire_fields(cls: type) -> List[str]:
    """The names a dataclass has on the wire (``etag`` and ``last_response`` are not)."""
    return [f.metadata.get("name", f.name) for f in dataclasses.fields(cls) if f.metadata.get("wire", True)]


def from_wire(cls: Type[T], data: Any, etag: Optional[str] = None, answer: Optional[ResponseInfo] = None) -> T:
    """Builds a dataclass from its JSON object, nested dataclasses and lists of them included."""
    hints = _hints(cls)
    values: Dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not f.metadata.get("wire", True):
            continue
        name = f.metadata.get("name", f.name)
        if name in data:
            values[f.name] = _convert(hints[f.name], data[name])
    names = {f.name for f in dataclasses.fields(cls)}
    if etag is not None and "etag" in names:
        values["etag"] = etag
    if answer is not None and "last_response" in names:
        values["last_response"] = answer
    return cls(**values)  # type: ignore[call-arg]


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> Dict[str, Any]:
    """A dataclass's field types, resolved once: a page of 100 results builds 100 of them."""
    return get_type_hints(cls, vars(sys.modules[cls.__module__]))


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = getattr(hint, "__origin__", None)
    arguments = getattr(hint, "__args__", ())
    if origin is Union:
        inner = [a for a in arguments if a is not type(None)]
        return _convert(inner[0], value) if len(inner) == 1 else value
    if origin in (list, List):
        return [_convert(arguments[0], item) for item in value]
    if dataclasses.is_dataclass(hint):
        return from_wire(hint, value)  # type: ignore[arg-type]
    return value
