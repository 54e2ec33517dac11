"""The resources, shared by both clients: each method describes its call and hands it to the client, which runs it
(``Interflow``) or returns it to be awaited (``AsyncInterflow``). Type hints describe the sync client."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Optional
from urllib.parse import quote

from . import types as t
from ._call import _Call
from ._models import BulkJob, Channel, Chat, CreatedWebhook, Customer, Deleted, Message, Page, Webhook, WebhookDelivery

if TYPE_CHECKING:
    from ._client import _Base

_PER_PAGE_ALL = 100


def _path(collection: str, *segments: str) -> str:
    """A path of segments, each escaped (ids come from callers)."""
    return collection + "".join("/" + quote(segment, safe="") for segment in segments)


class _Resource:
    def __init__(self, client: "_Base") -> None:
        self._client = client

    def _call(self, method: str, path: str, result: Any, body: Any = None, query: Any = None,
              idempotency_key: Optional[str] = None, if_match: Optional[str] = None, many: bool = False) -> Any:
        return self._client._run(_Call(method, path, result, body, query, idempotency_key, if_match, many))  # type: ignore[attr-defined]

    def _every(self, page: Any) -> Any:
        return self._client._every(page)  # type: ignore[attr-defined]


class Customers(_Resource):
    def create(self, customer: t.NewCustomer, *, idempotency_key: Optional[str] = None) -> Customer:
        return self._call("POST", "/v1/customers", Customer, customer, idempotency_key=idempotency_key)

    def retrieve(self, id: str) -> Customer:
        return self._call("GET", _path("/v1/customers", id), Customer)

    def update(self, id: str, changes: t.CustomerChanges, *, if_match: Optional[str] = None) -> Customer:
        """``if_match`` (a read's ``etag``) refuses the update with 412 if the customer changed since."""
        return self._call("PUT", _path("/v1/customers", id), Customer, changes, if_match=if_match)

    def delete(self, id: str) -> Deleted:
        return self._call("DELETE", _path("/v1/customers", id), Deleted)

    def list(self, *, page: Optional[int] = None, per_page: Optional[int] = None, cursor: Optional[str] = None, search: Optional[str] = None,
             tag: Optional[str] = None, email: Optional[str] = None, phone: Optional[str] = None) -> Page[Customer]:
        """A numbered page, or with ``cursor`` ("" for its first page, then a page's ``next_cursor``) a page of a walk."""
        query = {"page": page, "per_page": per_page, "cursor": cursor, "search": search, "tag": tag, "email": email, "phone": phone}
        return self._call("GET", "/v1/customers", Customer, query=query, many=True)

    def list_all(self, *, search: Optional[str] = None, tag: Optional[str] = None,
                 email: Optional[str] = None, phone: Optional[str] = None) -> Iterator[Customer]:
        """Every customer matching the filter, each once while others are added or deleted, 100 per request."""
        return self._every(lambda c: self.list(cursor=c, per_page=_PER_PAGE_ALL, search=search, tag=tag, email=email, phone=phone))


class Channels(_Resource):
    def create(self, channel: t.NewChannel, *, idempotency_key: Optional[str] = None) -> Channel:
        return self._call("POST", "/v1/channels", Channel, channel, idempotency_key=idempotency_key)

    def retrieve(self, id: str) -> Channel:
        return self._call("GET", _path("/v1/channels", id), Channel)

    def list(self, *, page: Optional[int] = None, per_page: Optional[int] = None, cursor: Optional[str] = None) -> Page[Channel]:
        return self._call("GET", "/v1/channels", Channel, query={"page": page, "per_page": per_page, "cursor": cursor}, many=True)

    def list_all(self) -> Iterator[Channel]:
        return self._every(lambda c: self.list(cursor=c, per_page=_PER_PAGE_ALL))


class Messages(_Resource):
    def send(self, message: t.SendMessage, *, idempotency_key: Optional[str] = None) -> Message:
        """Status ``sent`` (201), or ``queued`` (202) when the provider was slow; once per idempotency key either way."""
        return self._call("POST", "/v1/messages/send", Message, message, idempotency_key=idempotency_key)

    def retrieve(self, id: str) -> Message:
        return self._call("GET", _path("/v1/messages", id), Message)


class Bulk(_Resource):
    def submit(self, bulk: t.BulkSend, *, idempotency_key: Optional[str] = None) -> BulkJob:
        return self._call("POST", "/v1/messages/bulk", BulkJob, bulk, idempotency_key=idempotency_key)

    def retrieve(self, id: str) -> BulkJob:
        return self._call("GET", _path("/v1/messages/bulk", id), BulkJob)

    def cancel(self, id: str, *, idempotency_key: Optional[str] = None) -> BulkJob:
        return self._call("POST", _path("/v1/messages/bulk", id, "cancel"), BulkJob, idempotency_key=idempotency_key)


class Chats(_Resource):
    def open(self, chat: t.NewChat, *, idempotency_key: Optional[str] = None) -> Chat:
        """The open chat of the customer (or phone) on the channel, opened when there is none."""
        return self._call("POST", "/v1/chats", Chat, chat, idempotency_key=idempotency_key)

    def retrieve(self, id: str) -> Chat:
        return self._call("GET", _path("/v1/chats", id), Chat)

    def update(self, id: str, changes: t.ChatChanges, *, if_match: Optional[str] = None) -> Chat:
        return self._call("PUT", _path("/v1/chats", id), Chat, changes, if_match=if_match)

    def list(self, *, page: Optional[int] = None, per_page: Optional[int] = None, cursor: Optional[str] = None, status: Optional[str] = None,
             channel_id: Optional[str] = None, customer_id: Optional[str] = None) -> Page[Chat]:
        """By latest activity; a walk by cursor goes by creation instead, newest first."""
        query = {"page": page, "per_page": per_page, "cursor": cursor, "status": status, "channel_id": channel_id, "customer_id": customer_id}
        return self._call("GET", "/v1/chats", Chat, query=query, many=True)

    def list_all(self, *, status: Optional[str] = None, channel_id: Optional[str] = None,
                 customer_id: Optional[str] = None) -> Iterator[Chat]:
        return self._every(lambda c: self.list(cursor=c, per_page=_PER_PAGE_ALL, status=status, channel_id=channel_id, customer_id=customer_id))

    def list_messages(self, id: str, *, page: Optional[int] = None, per_page: Optional[int] = None, cursor: Optional[str] = None,
                      order: Optional[str] = None) -> Page[Message]:
        query = {"page": page, "per_page": per_page, "cursor": cursor, "order": order}
        return self._call("GET", _path("/v1/chats", id, "messages"), Message, query=query, many=True)

    def list_all_messages(self, id: str, *, order: Optional[str] = None) -> Iterator[Message]:
        return self._every(lambda c: self.list_messages(id, cursor=c, per_page=_PER_PAGE_ALL, order=order))


class Webhooks(_Resource):
    def create(self, webhook: t.NewWebhook, *, idempotency_key: Optional[str] = None) -> CreatedWebhook:
        """The answer carries the endpoint's ``whsec_`` secret, this once: keep it to verify deliveries."""
        return self._call("POST", "/v1/webhooks", CreatedWebhook, webhook, idempotency_key=idempotency_key)

    def retrieve(self, id: str) -> Webhook:
        return self._call("GET", _path("/v1/webhooks", id), Webhook)

    def update(self, id: str, changes: t.WebhookChanges, *, if_match: Optional[str] = None) -> Webhook:
        return self._call("PUT", _path("/v1/webhooks", id), Webhook, changes, if_match=if_match)

    def delete(self, id: str) -> Deleted:
        return self._call("DELETE", _path("/v1/webhooks", id), Deleted)

    def list(self) -> Page[Webhook]:
        """Every endpoint of the account, on one page."""
        return self._call("GET", "/v1/webhooks", Webhook, many=True)

    def test(self, id: str, *, idempotency_key: Optional[str] = None) -> WebhookDelivery:
        """A ``webhook.test`` event delivered now; a success re-enables a disabled endpoint."""
        return self._call("POST", _path("/v1/webhooks", id, "test"), WebhookDelivery, idempotency_key=idempotency_key)

    def list_deliveries(self, id: str, *, page: Optional[int] = None, per_page: Optional[int] = None,
                        cursor: Optional[str] = None) -> Page[WebhookDelivery]:
        return self._call("GET", _path("/v1/webhooks", id, "deliveries"), WebhookDelivery,
                          query={"page": page, "per_page": per_page, "cursor": cursor}, many=True)

    def list_all_deliveries(self, id: str) -> Iterator[WebhookDelivery]:
        return self._every(lambda c: self.list_deliveries(id, cursor=c, per_page=_PER_PAGE_ALL))
