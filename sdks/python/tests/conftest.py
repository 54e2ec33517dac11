"""What every test needs from the SDK harness (tests/Interflow.Sdks.Tests): the test server behind its fault proxy,
fresh accounts through the admin routes, and the OpenAPI document to hold results to."""
from __future__ import annotations

import json
import os
import pathlib
import random
from typing import Any, Dict, List

import httpx
import pytest

from interflow import Interflow


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run these tests through tests/Interflow.Sdks.Tests (dotnet test)")
    return value


BASE_URL = _required("INTERFLOW_TEST_BASE_URL")
SINK = _required("INTERFLOW_TEST_SINK")
OPENAPI: Dict[str, Any] = json.loads(pathlib.Path(_required("INTERFLOW_OPENAPI")).read_text("utf-8"))
VECTORS: Dict[str, Any] = json.loads(pathlib.Path(_required("INTERFLOW_WEBHOOK_VECTORS")).read_text("utf-8"))
SCHEMA_NAMES: Dict[str, Any] = json.loads((pathlib.Path(__file__).parents[2] / "schema-names.json").read_text("utf-8"))

IN_PROGRESS = json.dumps({"success": False, "error": {"code": "CONFLICT", "message": "A request with this Idempotency-Key is still being processed"}})
UNAVAILABLE = json.dumps({"success": False, "error": {"code": "SERVICE_UNAVAILABLE", "message": "Service temporarily unavailable; please retry"}})
RATE_LIMITED = json.dumps({"success": False, "error": {"code": "RATE_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}})


def _admin(path: str, body: Dict[str, Any]) -> Dict[str, Any]:
    response = httpx.post(f"{BASE_URL}/{path}", json=body, headers={"x-functions-key": _required("INTERFLOW_TEST_ADMIN_KEY")})
    response.raise_for_status()
    return response.json()["data"]


def new_key(plan: str = "enterprise") -> str:
    """A test key of a fresh account (sandbox data)."""
    account = _admin("manage/accounts", {"name": f"Python SDK {plan}", "plan": plan})
    return _admin(f"manage/accounts/{account['id']}/keys", {"name": "python", "environment": "test"})["secret"]


def faults(key: str, *faults: Dict[str, Any]) -> None:
    """The proxy answers this key's next requests with these faults: {"lose": True} or {"status", "retry_after", "body"}."""
    httpx.post(f"{BASE_URL}/_faults", json={"key": key, "faults": list(faults)}).raise_for_status()


def requests_of(key: str) -> List[Dict[str, Any]]:
    """Every request the proxy saw with this key, oldest first."""
    return httpx.get(f"{BASE_URL}/_requests", params={"key": key}).json()


def unique_phone() -> str:
    """A Brazilian mobile number no other test uses (never the sandbox's test endings 0000 and 0001)."""
    phone = f"55119{random.randint(10_000_000, 99_999_999)}"
    return phone[:-4] + "1234" if phone.endswith(("0000", "0001")) else phone


def fields_of(schema: str) -> List[str]:
    return sorted(OPENAPI["components"]["schemas"][schema]["properties"])


@pytest.fixture
def account():
    """A client for a fresh account with quick backoff (what is tested is which calls are retried), and its key."""
    def make(**options: Any):
        key = new_key(options.pop("plan", "enterprise"))
        client = Interflow(key, base_url=BASE_URL, retry_delay=0.02, **options)
        made.append(client)
        return client, key

    made: List[Interflow] = []
    yield make
    for client in made:
        client.close()
