import pytest

from interflow import WebhookVerificationError, WebhookVerifier

from conftest import VECTORS


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
