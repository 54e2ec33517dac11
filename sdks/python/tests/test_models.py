import dataclasses

import interflow
from interflow import types
from interflow._models import Page, wire_fields

from conftest import OPENAPI, SCHEMA_NAMES, fields_of


def test_every_schema_of_the_document_has_a_type():
    schemas = sorted(name for name in OPENAPI["components"]["schemas"] if name != "ErrorEnvelope")
    assert sorted(SCHEMA_NAMES["names"]) == schemas
    for schema, name in SCHEMA_NAMES["names"].items():
        assert hasattr(interflow, name) or hasattr(types, name) or name in ("PageMeta", "CursorMeta"), f"{schema}: no {name}"


def test_each_result_dataclass_has_exactly_its_schema_fields():
    for schema in SCHEMA_NAMES["results"]:
        name = SCHEMA_NAMES["names"][schema]
        if name in ("PageMeta", "CursorMeta"):
            # A page carries either meta: each one's fields are among its own.
            assert set(fields_of(schema)) <= set(wire_fields(Page))
            continue
        assert sorted(wire_fields(getattr(interflow, name))) == fields_of(schema), name


def test_a_page_has_exactly_the_fields_of_a_page_meta_and_a_walks_meta():
    assert sorted(f for f in wire_fields(Page) if f != "data") == sorted(set(fields_of("PageMeta")) | set(fields_of("CursorMeta")))


def test_nested_results_have_exactly_their_schema_fields():
    schemas = OPENAPI["components"]["schemas"]
    assert sorted(wire_fields(interflow.DeliveryAttempt)) == sorted(schemas["DeliveryView"]["properties"]["attempts"]["items"]["properties"])
    assert sorted(wire_fields(interflow.MessageError)) == sorted(schemas["MessageView"]["properties"]["error"]["properties"])
    assert sorted(wire_fields(interflow.WhatsAppNumber)) == sorted(schemas["ChannelView"]["properties"]["whatsapp"]["properties"])


def test_each_request_typeddict_has_exactly_its_schema_fields_and_required_ones():
    schemas = OPENAPI["components"]["schemas"]
    for schema, name in SCHEMA_NAMES["names"].items():
        if schema in SCHEMA_NAMES["results"]:
            continue
        typed = getattr(types, name)
        keys = typed.__required_keys__ | typed.__optional_keys__
        assert sorted(keys) == fields_of(schema), name
        assert sorted(typed.__required_keys__) == sorted(schemas[schema].get("required", [])), name


def test_base_urls_are_the_documents_servers():
    assert [interflow.PRODUCTION_URL, interflow.SANDBOX_URL] == [s["url"] for s in OPENAPI["servers"]]


def test_results_are_frozen_dataclasses():
    assert all(dataclasses.is_dataclass(getattr(interflow, n)) for n in ("Customer", "Message", "WebhookDelivery"))
