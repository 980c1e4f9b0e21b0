"""OAuth M2M (auth spec notes §4) as the SDK does it: host metadata gives the OIDC root, the discovery document
the token endpoint, then `client_credentials` with HTTP Basic; the token acts as the service principal whose
applicationId is the client id, at the level that issued it."""

from __future__ import annotations

import datetime

import pytest
from databricks.sdk.errors import PermissionDenied

from emulator_process import Emulator
from sdk_helpers import account_client, expect_error, workspace_client


def creds(emu: Emulator) -> dict[str, str]:
    return {"client_id": emu.oauth["clientId"], "client_secret": emu.oauth["clientSecret"]}


def test_a_workspace_client_with_client_credentials_only(emu: Emulator) -> None:
    w = workspace_client(emu.workspace(0).url, **creds(emu))
    assert w.config.auth_type == "oauth-m2m"
    # /Me of a service principal: userName = its applicationId.
    assert w.current_user.me().user_name == emu.oauth["clientId"]
    token = w.config.oauth_token()
    assert token.token_type == "Bearer"
    left = token.expiry - datetime.datetime.now(tz=token.expiry.tzinfo)
    assert datetime.timedelta(minutes=50) < left <= datetime.timedelta(hours=1, seconds=5)


def test_an_explicit_discovery_url_needs_no_host_metadata(emu: Emulator) -> None:
    host = emu.workspace(0).url
    w = workspace_client(host, discovery_url=f"{host}/oidc/.well-known/oauth-authorization-server", **creds(emu))
    assert w.current_user.me().user_name == emu.oauth["clientId"]


def test_an_account_client_with_client_credentials(emu: Emulator) -> None:
    a = account_client(emu.url, account_id=emu.account_id, **creds(emu))
    [sp] = a.service_principals.list(filter=f'applicationId eq "{emu.oauth["clientId"]}"')
    assert "account_admin" in {r.value for r in sp.roles or []}


def test_a_workspace_client_on_the_unified_host(emu: Emulator) -> None:
    second = emu.workspace(1)
    w = workspace_client(emu.url, workspace_id=second.id, **creds(emu))
    assert w.current_user.me().user_name == emu.oauth["clientId"]
    assert w.get_workspace_id() == int(second.id)


def test_a_workspace_token_stays_out_of_the_account_api(emu: Emulator) -> None:
    w = workspace_client(emu.workspace(0).url, **creds(emu))
    bearer = w.config.oauth_token().access_token
    a = account_client(emu.url, account_id=emu.account_id, token=bearer)
    expect_error(PermissionDenied, lambda: list(a.users.list(count=1)), starts_with="Invalid access token.")


def test_a_wrong_secret_fails_at_the_token_endpoint(emu: Emulator) -> None:
    # The SDK asks for a token at the first call; the token endpoint's OAuth error becomes a ValueError.
    w = workspace_client(emu.workspace(0).url, client_id=emu.oauth["clientId"], client_secret="dose-wrong")
    with pytest.raises(ValueError) as info:
        w.current_user.me()
    assert str(info.value) == "invalid_client: Client authentication failed"
