"""The Interflow customer-messaging API: ``Interflow`` (sync) and ``AsyncInterflow`` (asyncio)."""
from ._client import PRODUCTION_URL, SANDBOX_URL, AsyncInterflow, Interflow
from ._errors import InterflowError, WebhookVerificationError
from ._models import (
    BulkJob,
    Channel,
    Chat,
    CreatedWebhook,
    Customer,
    Deleted,
    DeliveryAttempt,
    ErrorDetail,
    Message,
    MessageError,
    Page,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WhatsAppNumber,
)
from .webhooks import WebhookVerifier

__all__ = [
    "PRODUCTION_URL", "SANDBOX_URL", "Interflow", "AsyncInterflow", "InterflowError", "WebhookVerificationError",
    "WebhookVerifier", "BulkJob", "Channel", "Chat", "CreatedWebhook", "Customer", "Deleted", "DeliveryAttempt",
    "ErrorDetail", "Message", "MessageError", "Page", "Webhook", "WebhookDelivery", "WebhookEvent", "WhatsAppNumber",
]
__version__ = "0.1.0"
