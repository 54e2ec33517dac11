import pytest

import json

import interflow
from interflow import WebhookVerificationError, WebhookVerifier, generate_test_headers
from interflow._models import wire_fields

from conftest import VECTORS, fields_of


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=[v["name"] for v in VECTORS["vectors"]])
def test_webhook_vector(vector):
    verifier = WebhookVerifier(vector["secret"], tolerance=VECTORS["tolerance_seconds"], clock=lambda: vector["now"])
    if vector["valid"]:
        event = verifier.verify(vector["headers"], vector["body"])
        assert (event.id, event.type) == (VECTORS["event"]["id"], VECTORS["event"]["type"])
        assert verifier.verify(vector["headers"], vector["body"].encode("utf-8")).id == event.id
    else:
        with pytest.raises(WebhookVerificationError):
            verifier.verify(vector["headers"], vector["body"])


def test_the_vectors_hold_at_least_ten_forged_or_stale_deliveries():
    assert sum(1 for v in VECTORS["vectors"] if not v["valid"]) >= 10


def test_generate_test_headers_signs_as_the_server_does_byte_for_byte():
    signed = next(v for v in VECTORS["vectors"] if v["name"] == "signed now")
    headers = generate_test_headers(signed["body"], signed["secret"], id=signed["headers"]["webhook-id"],
                                    timestamp=int(signed["headers"]["webhook-timestamp"]))
    assert headers == signed["headers"]


_KINDS = {
    "message": (interflow.MessageEvent, "MessageView"), "chat": (interflow.ChatEvent, "ChatView"),
    "customer": (interflow.CustomerEvent, "CustomerView"), "bulk": (interflow.BulkEvent, "BulkJobView"),
    "webhook": (interflow.WebhookTestEvent, None),
}


@pytest.mark.parametrize("sample", VECTORS["events"], ids=[e["type"] for e in VECTORS["events"]])
def test_an_event_of_every_type_verifies_to_its_class_with_its_resource_as_data(sample):
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    event = WebhookVerifier(secret).verify(generate_test_headers(sample["body"], secret), sample["body"])
    cls, schema = _KINDS[sample["type"].split(".")[0]]
    assert isinstance(event, cls) and event.type == sample["type"]
    sent = json.loads(sample["body"])["data"]
    if schema is None:
        assert event.data.webhook_id == sent["webhook_id"]
    else:
        assert sorted(wire_fields(type(event.data))) == fields_of(schema)
        assert event.data.id == sent["id"]


def test_an_event_of_a_type_this_sdk_does_not_know_keeps_its_data():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = json.dumps({"id": "evt_1", "type": "order.shipped", "created_at": "2026-11-18T12:00:00Z", "data": {"order": 42}})
    event = WebhookVerifier(secret).verify(generate_test_headers(body, secret), body)
    assert isinstance(event, interflow.UnknownEvent) and event.data == {"order": 42}
