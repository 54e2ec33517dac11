"""What you send: one TypedDict per request body of docs/openapi.json, snake_case as on the wire."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, TypedDict, Union

Scalar = Union[str, float, bool]


class TextContent(TypedDict):
    text: str


class _MediaContent(TypedDict):
    url: str


class MediaContent(_MediaContent, total=False):
    caption: Optional[str]
    filename: Optional[str]


class _LocationContent(TypedDict):
    latitude: float
    longitude: float


class LocationContent(_LocationContent, total=False):
    name: Optional[str]
    address: Optional[str]


class _TemplateContent(TypedDict):
    name: str
    language: str


class TemplateContent(_TemplateContent, total=False):
    variables: Optional[List[str]]


Content = Union[TextContent, MediaContent, LocationContent, TemplateContent]


class _NewCustomer(TypedDict):
    name: str


class NewCustomer(_NewCustomer, total=False):
    """At least one of ``email`` and ``phone`` (E.164 digits without '+')."""

    email: Optional[str]
    phone: Optional[str]
    tags: Optional[List[str]]
    custom_fields: Optional[Dict[str, Scalar]]


class CustomerChanges(TypedDict, total=False):
    """Fields present replace the stored ones; custom_fields merge key by key, and a None value removes a key."""

    name: Optional[str]
    email: Optional[str]
    phone: Optional[str]
    tags: Optional[List[str]]
    custom_fields: Optional[Dict[str, Optional[Scalar]]]


class WhatsAppCredentials(TypedDict):
    phone_number_id: str
    access_token: str
    app_secret: str
    verify_token: str


class _NewChannel(TypedDict):
    name: str
    kind: str


class NewChannel(_NewChannel, total=False):
    messages_per_second: Optional[int]
    whatsapp: Optional[WhatsAppCredentials]


class _SendMessage(TypedDict):
    channel_id: str
    to: str
    type: str
    content: Content


class SendMessage(_SendMessage, total=False):
    chat_id: Optional[str]
    metadata: Optional[Dict[str, Any]]


class _Recipient(TypedDict):
    to: str


class Recipient(_Recipient, total=False):
    variables: Optional[List[str]]


class BulkMessage(TypedDict):
    to: str
    type: str
    content: Content


class _BulkSend(TypedDict):
    channel_id: str


class BulkSend(_BulkSend, total=False):
    """Either shared content with per-recipient variables (type, content, recipients), or full messages."""

    type: Optional[str]
    content: Optional[Content]
    recipients: Optional[List[Recipient]]
    messages: Optional[List[BulkMessage]]


class _NewChat(TypedDict):
    channel_id: str


class NewChat(_NewChat, total=False):
    """One of ``customer_id`` and ``phone``."""

    customer_id: Optional[str]
    phone: Optional[str]


class ChatChanges(TypedDict, total=False):
    status: Optional[str]
    unread_count: Optional[int]


class _NewWebhook(TypedDict):
    url: str
    events: List[str]


class NewWebhook(_NewWebhook, total=False):
    description: Optional[str]


class WebhookChanges(TypedDict, total=False):
    url: Optional[str]
    events: Optional[List[str]]
    description: Optional[str]
    enabled: Optional[bool]
