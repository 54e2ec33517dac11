import json

import pytest

from interflow import InterflowError
from interflow._models import wire_fields

from conftest import SINK, fields_of, unique_phone


def shape(result, schema):
    assert sorted(wire_fields(type(result))) == fields_of(schema)


def test_customers_create_retrieve_update_with_if_match_list_and_delete(account):
    interflow, _ = account()
    phone = unique_phone()
    created = interflow.customers.create({"name": "João Silva", "phone": phone, "tags": ["vip"], "custom_fields": {"plano": "ouro"}})
    read = interflow.customers.retrieve(created.id)
    updated = interflow.customers.update(created.id, {"email": "joao@example.com", "custom_fields": {"plano": None}}, if_match=read.etag)
    page = interflow.customers.list(tag="vip", per_page=10)
    by_phone = interflow.customers.list(phone=phone)
    with pytest.raises(InterflowError) as stale:
        interflow.customers.update(created.id, {"name": "Outro"}, if_match=read.etag)
    deleted = interflow.customers.delete(created.id)
    with pytest.raises(InterflowError) as gone:
        interflow.customers.retrieve(created.id)

    shape(created, "CustomerView")
    assert read.etag and read == created
    assert (updated.email, updated.custom_fields) == ("joao@example.com", {})
    assert (page.total, page.page, page.per_page, page.has_more, page.data[0].id) == (1, 1, 10, False, created.id)
    assert by_phone.data[0].id == created.id
    assert (stale.value.status, stale.value.code) == (412, "PRECONDITION_FAILED")
    assert (deleted.id, deleted.deleted) == (created.id, True)
    assert (gone.value.status, gone.value.code) == (404, "NOT_FOUND")


def test_channels_messages_and_chats(account):
    interflow, _ = account()
    channel = interflow.channels.create({"name": "Loja", "kind": "sandbox", "messages_per_second": 50})
    to = unique_phone()
    message = interflow.messages.send({"channel_id": channel.id, "to": to, "type": "text", "content": {"text": "Pedido confirmado"}, "metadata": {"order": 42}})
    read_message = interflow.messages.retrieve(message.id)
    chat = interflow.chats.open({"channel_id": channel.id, "phone": to})
    chats = interflow.chats.list(channel_id=channel.id, status="open")
    history = interflow.chats.list_messages(chat.id, order="desc")
    every = [m.id for m in interflow.chats.list_all_messages(chat.id)]
    closed = interflow.chats.update(chat.id, {"status": "closed"}, if_match=interflow.chats.retrieve(chat.id).etag)
    channels = interflow.channels.list()
    read_channel = interflow.channels.retrieve(channel.id)
    all_channels = [c.id for c in interflow.channels.list_all()]

    for result, schema in [(channel, "ChannelView"), (message, "MessageView"), (chat, "ChatView")]:
        shape(result, schema)
    assert message.status in ("sent", "queued")
    assert (read_message.metadata, read_message.from_, read_message.to) == ({"order": 42}, None, to)
    assert chat.id == message.chat_id
    assert [c.id for c in chats.data] == [chat.id]
    assert [m.id for m in history.data] == every == [message.id]
    assert (closed.status, channels.total, read_channel.name, read_channel.whatsapp) == ("closed", 1, "Loja", None)
    assert all_channels == [channel.id]


def test_bulk_submit_retrieve_cancel(account):
    interflow, _ = account()
    channel = interflow.channels.create({"name": "Campanha", "kind": "sandbox", "messages_per_second": 1})
    recipients = [{"to": unique_phone(), "variables": ["Ana"]} for _ in range(30)]
    job = interflow.bulk.submit({"channel_id": channel.id, "type": "text", "content": {"text": "Olá {{1}}"}, "recipients": recipients})
    read = interflow.bulk.retrieve(job.id)
    cancelled = interflow.bulk.cancel(job.id)

    shape(job, "BulkJobView")
    assert (job.total, read.id) == (30, job.id)
    assert cancelled.cancel_requested or cancelled.status == "completed"


def test_webhooks_secret_once_then_read_update_list_ping_deliveries_delete(account):
    interflow, _ = account()
    created = interflow.webhooks.create({"url": SINK, "events": ["customer.created"], "description": "CRM"})
    read = interflow.webhooks.retrieve(created.id)
    updated = interflow.webhooks.update(created.id, {"events": ["customer.created", "message.read"]}, if_match=read.etag)
    listed = interflow.webhooks.list()
    ping = interflow.webhooks.test(created.id)
    deliveries = interflow.webhooks.list_deliveries(created.id)
    every = [d.id for d in interflow.webhooks.list_all_deliveries(created.id)]
    deleted = interflow.webhooks.delete(created.id)

    shape(created, "CreatedWebhookView")
    shape(read, "WebhookView")
    shape(ping, "DeliveryView")
    assert created.secret.startswith("whsec_") and created.secret not in repr(created)
    assert updated.events == ["customer.created", "message.read"]
    assert [w.id for w in listed.data] == [created.id]
    assert (ping.event_type, ping.status, ping.attempts[0].status_code) == ("webhook.test", "succeeded", 204)
    assert ping.id in [d.id for d in deliveries.data] and ping.id in every
    assert deleted.deleted


def test_the_openapi_document_and_a_422_with_every_field(account):
    interflow, _ = account(language="en")
    document = json.loads(interflow.get_openapi_document())
    with pytest.raises(InterflowError) as invalid:
        interflow.customers.create({"name": "", "email": "not an email"})

    assert document["openapi"] == "3.1.1"
    assert (invalid.value.status, invalid.value.code) == (422, "VALIDATION_ERROR")
    assert len(invalid.value.details) >= 2 and invalid.value.request_id
    assert {d.field for d in invalid.value.details} >= {"name", "email"}
