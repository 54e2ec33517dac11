import time

import pytest

from interflow import Interflow, InterflowError

from conftest import BASE_URL, IN_PROGRESS, RATE_LIMITED, UNAVAILABLE, faults, requests_of, unique_phone


def posts(key, path):
    return [r for r in requests_of(key) if r["method"] == "POST" and r["path"] == path]


def test_a_lost_answer_is_retried_with_the_same_key_and_the_message_exists_once(account):
    interflow, key = account()
    channel = interflow.channels.create({"name": "Loja", "kind": "sandbox"})
    to = unique_phone()
    faults(key, {"lose": True}, {"lose": True})

    message = interflow.messages.send({"channel_id": channel.id, "to": to, "type": "text", "content": {"text": "Pedido confirmado"}})

    tries = posts(key, "/v1/messages/send")
    assert [t["fault"] for t in tries] == ["lost", "lost", ""]
    assert len({t["idempotency_key"] for t in tries}) == 1 and tries[0]["idempotency_key"].startswith("ifp_")
    chat = interflow.chats.open({"channel_id": channel.id, "phone": to})
    assert [m.id for m in interflow.chats.list_all_messages(chat.id)] == [message.id]


def test_a_callers_own_key_is_the_one_every_retry_carries(account):
    interflow, key = account()
    faults(key, {"lose": True}, {"status": 503, "retry_after": "0", "body": UNAVAILABLE})

    first = interflow.customers.create({"name": "Ana", "email": "ana@example.com"}, idempotency_key="crm-42")
    again = interflow.customers.create({"name": "Ana", "email": "ana@example.com"}, idempotency_key="crm-42")
    interflow.customers.create({"name": "Bia", "email": "bia@example.com"})

    keys = [t["idempotency_key"] for t in posts(key, "/v1/customers")]
    assert keys[:4] == ["crm-42"] * 4 and keys[4] != "crm-42"
    assert again.id == first.id
    assert interflow.customers.list().total == 2


def test_in_progress_409_503_and_429_are_retried_after_their_retry_after(account):
    interflow, key = account()
    faults(key, {"status": 409, "retry_after": "1", "body": IN_PROGRESS}, {"status": 503, "retry_after": "0", "body": UNAVAILABLE},
           {"status": 429, "retry_after": "1", "body": RATE_LIMITED})
    started = time.monotonic()

    customer = interflow.customers.create({"name": "Dora", "email": "dora@example.com"})

    assert time.monotonic() - started >= 2.0  # a lower bound: it waited at least as long as asked, twice
    tries = posts(key, "/v1/customers")
    assert [t["status"] for t in tries] == [409, 503, 429, 201]
    assert len({t["idempotency_key"] for t in tries}) == 1
    assert interflow.customers.list(email="dora@example.com").data[0].id == customer.id


def test_retries_stop_at_the_cap_and_the_last_answer_is_raised(account):
    interflow, key = account(max_retries=2)
    faults(key, *[{"status": 503, "retry_after": "0", "body": UNAVAILABLE}] * 3)

    with pytest.raises(InterflowError) as error:
        interflow.customers.list()

    assert (error.value.status, error.value.code, error.value.retry_after) == (503, "SERVICE_UNAVAILABLE", 0)
    assert len(requests_of(key)) == 3


def test_a_retry_after_beyond_the_longest_wait_is_raised_at_once(account):
    interflow, key = account(max_retry_delay=1)
    faults(key, {"status": 429, "retry_after": "30", "body": RATE_LIMITED})

    with pytest.raises(InterflowError) as error:
        interflow.channels.list()

    assert (error.value.status, error.value.code, error.value.retry_after) == (429, "RATE_LIMIT_EXCEEDED", 30)
    assert len(requests_of(key)) == 1


def test_starters_real_rate_limit_is_raised_with_its_retry_after(account):
    interflow, key = account(plan="starter", max_retry_delay=1)
    error = None
    for _ in range(130):
        try:
            interflow.channels.list()
        except InterflowError as raised:
            error = raised
            break
    assert error is not None and (error.status, error.code) == (429, "RATE_LIMIT_EXCEEDED")
    assert error.retry_after > 1
    # Raised at once, not retried: the last request is the refused one (a minute turning mid-loop may add an earlier,
    # retried 429 with a short Retry-After).
    seen = requests_of(key)
    assert seen[-1]["status"] == 429 and sum(1 for r in seen if r["status"] == 429) <= 2


def test_a_plain_409_and_a_422_are_raised_at_once_with_code_and_details(account):
    interflow, key = account()
    interflow.customers.create({"name": "Eva", "email": "eva@example.com"})

    with pytest.raises(InterflowError) as conflict:
        interflow.customers.create({"name": "Eva 2", "email": "EVA@example.com"})
    with pytest.raises(InterflowError) as invalid:
        interflow.messages.send({"channel_id": "ch_x", "to": "123", "type": "text", "content": {"text": ""}})

    assert (conflict.value.status, conflict.value.code, conflict.value.retry_after) == (409, "CONFLICT", None)
    assert (invalid.value.status, invalid.value.code) == (422, "VALIDATION_ERROR")
    assert "content.text" in [d.field for d in invalid.value.details]
    assert len(posts(key, "/v1/customers")) == 2 and len(posts(key, "/v1/messages/send")) == 1


def test_an_answer_outside_the_envelope_is_unexpected_and_not_retried(account):
    interflow, key = account()
    faults(key, {"status": 502, "content_type": "text/html", "body": "<html>Bad gateway</html>"})

    with pytest.raises(InterflowError) as error:
        interflow.chats.list()

    assert (error.value.status, error.value.code) == (502, InterflowError.UNEXPECTED_RESPONSE)
    assert "Bad gateway" in str(error.value)
    assert len(requests_of(key)) == 1


def test_no_answer_at_all_is_unexpected_with_status_0_after_the_retries():
    with Interflow("ifk_test_x", base_url="http://127.0.0.1:9", max_retries=1, retry_delay=0.01) as interflow:
        with pytest.raises(InterflowError) as error:
            interflow.customers.list()
    assert (error.value.status, error.value.code) == (0, "UNEXPECTED_RESPONSE")
    assert BASE_URL  # the harness is configured; this test needs no server
