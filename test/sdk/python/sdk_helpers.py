"""Helpers of the Python SDK suite: clients built as a user builds them, unique names, and an exact check of the
exception class and message the SDK raises."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from databricks.sdk import AccountClient, WorkspaceClient
from databricks.sdk.config import Config
from databricks.sdk.errors import DatabricksError

# Bounded waits: the SDK's default retry budget is 5 minutes; a retried call here means a defect, so fail fast.
CLIENT_LIMITS: dict[str, Any] = {"retry_timeout_seconds": 20, "http_timeout_seconds": 15}


def workspace_client(host: str, **config: Any) -> WorkspaceClient:
    """A WorkspaceClient with exactly the given configuration (plus the bounded waits)."""
    return WorkspaceClient(config=Config(host=host, **CLIENT_LIMITS, **config))


def account_client(host: str, **config: Any) -> AccountClient:
    """An AccountClient with exactly the given configuration (plus the bounded waits)."""
    return AccountClient(config=Config(host=host, **CLIENT_LIMITS, **config))


def unique(prefix: str) -> str:
    """A name no other test uses (all tests of a run share the emulators)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def unique_email(prefix: str) -> str:
    return f"{unique(prefix)}@example.com"


def scim_message(detail: str, scim_type: str | None = None) -> str:
    """The message the Python SDK makes of a SCIM error body: `f"{scimType} {detail}"`, stripped. A body without
    `scimType` (Databricks' 404 and 409 texts carry none) reads "None <detail>" in this SDK, unlike the Go SDK,
    which drops the empty part: that is the SDK's doing, and real Databricks errors read the same."""
    return f"{scim_type} {detail}".strip(" ")


def expect_error(
    cls: type[DatabricksError],
    call: Callable[[], object],
    *,
    message: str | None = None,
    starts_with: str | None = None,
    error_code: str | None = None,
) -> DatabricksError:
    """Runs `call`, which must raise exactly `cls` (not a subclass, not a parent: the SDK picks the class from
    the status and the error code, so the class says both), with this message or message start."""
    try:
        result = call()
    except DatabricksError as e:
        where = f"{type(e).__name__}({str(e)!r}, error_code={e.error_code!r})"
        assert type(e) is cls, f"expected {cls.__name__}, got {where}"
        if message is not None:
            assert str(e) == message, f"expected message {message!r}, got {where}"
        if starts_with is not None:
            assert str(e).startswith(starts_with), f"expected a message starting {starts_with!r}, got {where}"
        if error_code is not None:
            assert e.error_code == error_code, f"expected error_code {error_code!r}, got {where}"
        return e
    pytest.fail(f"expected {cls.__name__}, the call returned {result!r}")
