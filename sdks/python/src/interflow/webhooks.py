"""Standard Webhooks verification of the deliveries an Interflow endpoint receives."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
import uuid
from typing import Callable, Dict, Mapping, Optional, Union

from ._errors import WebhookVerificationError
from ._models import WebhookEvent, event_from_wire

_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


class WebhookVerifier:
    """Checks ``webhook-signature``: one or more ``v1,`` + base64 HMAC-SHA256 of ``{webhook-id}.{webhook-timestamp}.{body}``,
    keyed with the base64 part of the endpoint's ``whsec_`` secret. A timestamp further than the tolerance from now
    (either way) is refused, so a captured delivery cannot be replayed later; within it, dedupe by the event's id
    (deliveries are at least once). Give it the raw body, exactly as received."""

    def __init__(self, secret: str, *, tolerance: float = 300, clock: Optional[Callable[[], float]] = None) -> None:
        self._key = _key(secret)
        self._tolerance = tolerance
        self._clock = clock or time.time

    def verify(self, headers: Mapping[str, str], body: Union[bytes, str]) -> WebhookEvent:
        """The verified event, typed by its type (``MessageEvent``, ``CustomerEvent``, …: ``isinstance`` tells which);
        raises :class:`WebhookVerificationError` when the delivery is not from the API."""
        by_name = {name.lower(): value for name, value in headers.items()}

        def header(name: str) -> str:
            value = by_name.get(name)
            if not value:
                raise WebhookVerificationError(f"the {name} header is missing")
            return value

        id, timestamp, signatures = header("webhook-id"), header("webhook-timestamp"), header("webhook-signature")
        if not re.fullmatch(r"\d{1,15}", timestamp):
            raise WebhookVerificationError("webhook-timestamp is not a Unix time in seconds")
        age = abs(self._clock() - int(timestamp))
        if age > self._tolerance:
            raise WebhookVerificationError(f"webhook-timestamp is {age:.0f} s from now, beyond the tolerance of {self._tolerance:.0f} s")
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        expected = hmac.new(self._key, f"{id}.{timestamp}.".encode("utf-8") + raw, hashlib.sha256).digest()
        matched = False
        for signature in signatures.split(" "):
            # Other versions than v1 may be sent beside it; they are not ours to check.
            if signature.startswith("v1,"):
                given = _decode(signature[3:])
                matched |= given is not None and hmac.compare_digest(given, expected)
        if not matched:
            raise WebhookVerificationError("no webhook-signature matches the body with this secret")
        try:
            return event_from_wire(json.loads(raw.decode("utf-8")))
        except (ValueError, KeyError, TypeError) as error:
            raise WebhookVerificationError("the body is not an event") from error


def generate_test_headers(payload: Union[bytes, str], secret: str, *, id: Optional[str] = None,
                          timestamp: Optional[int] = None) -> Dict[str, str]:
    """Signs a payload as the API signs a delivery (Stripe's ``generate_test_header_string``), to test a webhook
    handler without the API: the headers verify with :class:`WebhookVerifier` and the same secret."""
    id = id or f"msg_{uuid.uuid4().hex}"
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    raw = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    signature = base64.b64encode(hmac.new(_key(secret), f"{id}.{stamp}.".encode("utf-8") + raw, hashlib.sha256).digest()).decode("ascii")
    return {"webhook-id": id, "webhook-timestamp": stamp, "webhook-signature": f"v1,{signature}"}


def _key(secret: str) -> bytes:
    encoded = secret[len("whsec_"):] if secret and secret.startswith("whsec_") else secret
    if not encoded or not _BASE64.match(encoded):
        raise ValueError("the secret is not a whsec_ secret")
    return base64.b64decode(encoded)


def _decode(text: str) -> Optional[bytes]:
    if len(text) % 4 or not _BASE64.match(text):
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
