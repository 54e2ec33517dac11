from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Type


@dataclass(frozen=True)
class _Call:
    """One API call, before it is sent: the same for the sync and the async client."""

    method: str
    path: str
    result: Optional[Type[Any]]
    body: Any = None
    query: Optional[Mapping[str, Any]] = None
    idempotency_key: Optional[str] = None
    if_match: Optional[str] = None
    many: bool = False
