import pytest

from interflow import Interflow

from conftest import BASE_URL, new_key, requests_of, unique_phone


@pytest.mark.parametrize("suffix", ["", "/", "/v1", "/v1/"])
def test_the_base_url_works_as_the_reference_writes_it(suffix):
    key = new_key()
    with Interflow(key, base_url=BASE_URL + suffix) as interflow:
        page = interflow.customers.list()

    assert page.data == []
    assert [r["path"] for r in requests_of(key)] == ["/v1/customers"]


def test_every_result_carries_its_answer_request_id_status_rate_limit_and_replay(account):
    interflow, _ = account()
    channel = interflow.channels.create({"name": "Loja", "kind": "sandbox"})
    phone = unique_phone()

    opened = interflow.chats.open({"channel_id": channel.id, "phone": phone})
    found = interflow.chats.open({"channel_id": channel.id, "phone": phone})
    customer = {"name": "Ana", "phone": unique_phone()}
    first = interflow.customers.create(customer, idempotency_key="order-21")
    again = interflow.customers.create(customer, idempotency_key="order-21")
    page = interflow.customers.list()

    assert (opened.last_response.status, found.last_response.status, found.id) == (201, 200, opened.id)
    assert first.last_response.request_id.startswith("req_")
    assert (first.last_response.idempotent_replayed, again.last_response.idempotent_replayed) == (False, True)
    assert again == first and again.last_response.request_id != first.last_response.request_id
    assert page.last_response.rate_limit.limit == 1000 and page.last_response.rate_limit.remaining <= 994
    assert page.data[0].last_response is None
