"""Host metadata (issue 24 item 1): current SDKs GET `{host}/.well-known/databricks-config` without a token before
anything else (auth spec notes §1) and fill `account_id`, `workspace_id`, `cloud` and the OIDC discovery URL from
it; when that fails they log "Failed to automatically resolve config from host metadata … Falling back to
explicit user provided configuration." These tests read it the way the SDK does and check what the SDK makes
of it, including the OIDC discovery documents it leads to."""

from __future__ import annotations

import logging

import pytest
import requests
from databricks.sdk.config import Config
from databricks.sdk.environments import Cloud
from databricks.sdk.oauth import get_host_metadata

from emulator_process import Emulator
from sdk_helpers import CLIENT_LIMITS, account_client, workspace_client

WELL_KNOWN = "/.well-known/databricks-config"


def raw_metadata(host: str) -> dict[str, object]:
    """The document as served to a caller with no token at all."""
    resp = requests.get(host + WELL_KNOWN, timeout=10)
    assert resp.status_code == 200, f"{host}{WELL_KNOWN}: {resp.status_code} {resp.text}"
    body = resp.json()
    assert isinstance(body, dict)
    return body


def test_a_workspace_host_names_its_account_workspace_cloud_and_oidc_root(emu: Emulator) -> None:
    ws = emu.workspace(1)
    meta = get_host_metadata(ws.url)
    assert (meta.account_id, meta.workspace_id, meta.cloud) == (emu.account_id, ws.id, Cloud.AWS)
    assert meta.oidc_endpoint == f"{ws.url}/oidc"
    assert raw_metadata(ws.url)["host_type"] == "workspace"


def test_the_unified_host_names_the_account_and_its_oidc_root(emu: Emulator) -> None:
    meta = get_host_metadata(emu.url)
    assert (meta.account_id, meta.cloud) == (emu.account_id, Cloud.AWS)
    assert meta.oidc_endpoint == f"{emu.url}/oidc/accounts/{emu.account_id}"
    raw = raw_metadata(emu.url)
    assert raw["host_type"] == "unified"
    # Without the header the unified host reaches the primary workspace: the id it reports.
    assert raw["workspace_id"] == emu.workspace_id


def test_a_workspace_config_resolves_ids_and_discovery_from_the_host(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    ws = emu.workspace(0)
    with caplog.at_level(logging.DEBUG, logger="databricks"):
        cfg = Config(host=ws.url, token=emu.tokens["admin"], **CLIENT_LIMITS)
    assert (cfg.account_id, cfg.workspace_id, cfg.cloud) == (emu.account_id, ws.id, Cloud.AWS)
    assert cfg.discovery_url == f"{ws.url}/oidc/.well-known/oauth-authorization-server"
    assert f"Resolved account_id from host metadata: {emu.account_id}" in caplog.messages
    # The discovery document it leads to names the workspace's token endpoint.
    endpoints = cfg.databricks_oidc_endpoints
    assert endpoints is not None and endpoints.token_endpoint == f"{ws.url}/oidc/v1/token"


def test_an_account_config_resolves_discovery_to_the_account_token_endpoint(emu: Emulator) -> None:
    cfg = Config(host=emu.url, token=emu.tokens["accountAdmin"], **CLIENT_LIMITS)
    assert cfg.account_id == emu.account_id
    assert cfg.discovery_url == f"{emu.url}/oidc/accounts/{emu.account_id}/.well-known/oauth-authorization-server"
    endpoints = cfg.databricks_oidc_endpoints
    assert endpoints is not None and endpoints.token_endpoint == f"{emu.url}/oidc/accounts/{emu.account_id}/v1/token"


def test_clients_log_no_warning_about_the_host(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    # The acceptance: a WorkspaceClient and an AccountClient against the emulator print no
    # host-metadata warning (the autouse check fails any test on any SDK warning; this one says it outright).
    with caplog.at_level(logging.WARNING, logger="databricks"):
        w = workspace_client(emu.workspace(0).url, token=emu.tokens["admin"])
        a = account_client(emu.url, account_id=emu.account_id, token=emu.tokens["accountAdmin"])
        assert w.current_user.me().user_name == "admin@example.com"
        assert any(True for _ in a.users.list(count=1))
    assert [r.getMessage() for r in caplog.records] == []


def test_azure_hosts_say_azure(azure_emu: Emulator) -> None:
    assert get_host_metadata(azure_emu.workspace(0).url).cloud == Cloud.AZURE
    assert get_host_metadata(azure_emu.url).cloud == Cloud.AZURE
    w = workspace_client(azure_emu.workspace(0).url, token=azure_emu.tokens["admin"])
    assert w.config.is_azure and not w.config.is_aws
