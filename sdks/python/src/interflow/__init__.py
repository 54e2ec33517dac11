"""The Interflow customer-messaging API: ``Interflow`` (sync) and ``AsyncInterflow`` (asyncio)."""
from ._client import PRODUCTION_URL, SANDBOX_URL, AsyncInterflow, Interflow
from ._errors import InterflowError, WebhookVerificationError
from ._models import (
    BulkEvent,
    BulkJob,
    Channel,
    Chat,
    ChatEvent,
    CreatedWebhook,
    Customer,
    CustomerEvent,
    Deleted,
    DeliveryAttempt,
    ErrorDetail,
    Message,
    MessageError,
    MessageEvent,
    Page,
    RateLimit,
    ResponseInfo,
    UnknownEvent,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WebhookTestData,
    WebhookTestEvent,
    WhatsAppNumber,
)
from .webhooks import WebhookVerifier, generate_test_headers

__all__ = [
    "PRODUCTION_URL", "SANDBOX_URL", "Interflow", "AsyncInterflow", "InterflowError", "WebhookVerificationError",
    "WebhookVerifier", "generate_test_headers", "BulkJob", "Channel", "Chat", "CreatedWebhook", "Customer", "Deleted",
    "DeliveryAttempt", "ErrorDetail", "Message", "MessageError", "Page", "RateLimit", "ResponseInfo", "Webhook",
    "WebhookDelivery", "WhatsAppNumber", "WebhookEvent", "MessageEvent", "ChatEvent", "CustomerEvent", "BulkEvent",
    "WebhookTestEvent", "WebhookTestData", "UnknownEvent",
]
__version__ = "0.1.0"
