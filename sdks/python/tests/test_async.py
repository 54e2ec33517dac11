import asyncio

import pytest

from interflow import AsyncInterflow, InterflowError

from conftest import BASE_URL, UNAVAILABLE, faults, new_key, requests_of, unique_phone


def test_the_async_client_sends_retries_with_one_key_and_pages():
    async def scenario():
        key = new_key()
        async with AsyncInterflow(key, base_url=BASE_URL, retry_delay=0.02) as interflow:
            channel = await interflow.channels.create({"name": "Loja", "kind": "sandbox"})
            faults(key, {"lose": True}, {"status": 503, "retry_after": "0", "body": UNAVAILABLE})
            to = unique_phone()
            message = await interflow.messages.send({"channel_id": channel.id, "to": to, "type": "text", "content": {"text": "Oi"}})
            customers = await asyncio.gather(*[interflow.customers.create({"name": f"C{i}", "email": f"a{i}@example.com"}) for i in range(5)])
            seen = [c.id async for c in interflow.customers.list_all()]
            with pytest.raises(InterflowError) as missing:
                await interflow.messages.retrieve("msg_missing")
            return key, message, customers, seen, missing.value

    key, message, customers, seen, missing = asyncio.run(scenario())
    sends = [r for r in requests_of(key) if r["path"] == "/v1/messages/send"]
    assert [s["fault"] for s in sends] == ["lost", "answered", ""]
    assert len({s["idempotency_key"] for s in sends}) == 1
    assert message.status in ("sent", "queued")
    assert sorted(seen) == sorted([c.id for c in customers] + [message.customer_id])
    assert (missing.status, missing.code) == (404, "NOT_FOUND")
