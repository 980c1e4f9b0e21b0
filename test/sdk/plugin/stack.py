"""One Pulumi operation on the plugin's Python test program, through the Automation API (the real CLI
underneath, with a local file backend). The program is inline: it runs in this Python process, so no Python
language host binary is needed. Run by test/sdk/pluginPython.test.ts, one process per operation:

    python stack.py <up|preview|refresh|destroy> --dir DIR --variant first|changed --result FILE

The environment gives the CLI (PULUMI_SCIM_CLI_ROOT), the emulator (SCIM_HOST, SCIM_ACCOUNT_ID,
SCIM_WORKSPACE_ID) and its tokens (SCIM_TOKEN, SCIM_ACCOUNT_TOKEN); the plugin is on PATH.
"""

import argparse
import json
import os
import sys

import pulumi
from pulumi import automation as auto

import pulumi_databricks_scim as scim

PROJECT = "scim-python"


def program() -> None:
    """Users and a group with its members in the workspace; an account user assigned to the workspace, through
    an explicit provider for the account (the default provider is the workspace's, from stack config)."""
    variant = pulumi.Config().require("variant")
    changed = variant == "changed"
    alice = scim.User(
        "alice",
        user_name="alice@example.com",
        display_name="Alice A" if changed else "Alice",
        entitlements=["databricks-sql-access"] if changed else ["allow-cluster-create"],
    )
    bob = scim.User("bob", user_name="bob@example.com")
    carol = scim.User("carol", user_name="carol@example.com") if changed else None
    eng = scim.Group("eng", display_name="eng")
    members = {"alice@example.com": alice.id, ("carol@example.com" if carol else "bob@example.com"): (carol or bob).id}
    scim.GroupMembers("eng-members", group_id=eng.id, members=members)

    account = scim.Provider(
        "account",
        host=os.environ["SCIM_HOST"],
        token=pulumi.Output.secret(os.environ["SCIM_ACCOUNT_TOKEN"]),
        account_id=os.environ["SCIM_ACCOUNT_ID"],
        level="account",
    )
    ana = scim.User("ana", user_name="ana@example.com", opts=pulumi.ResourceOptions(provider=account))
    scim.WorkspaceAssignment(
        "ana-access",
        principal_id=ana.id,
        workspace_id=os.environ["SCIM_WORKSPACE_ID"],
        permissions=["ADMIN"] if changed else ["USER"],
        opts=pulumi.ResourceOptions(provider=account),
    )
    if changed:
        # A lookup (the plugin's invoke databricks-scim:index:getUser) of the user the first run made.
        pulumi.export("aliceViaLookup", scim.get_user(user_name="alice@example.com").id)
        # A list lookup (listUsers) with a SCIM filter, its entries typed (UserInfo), and who the token is (getCurrentUser).
        pulumi.export("aliceViaList", [u.id for u in scim.list_users(filter='userName eq "alice@example.com"').users])
        pulumi.export("meViaLookup", scim.get_current_user().user_name)
    pulumi.export("alice", alice.id)
    pulumi.export("eng", eng.id)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["up", "preview", "refresh", "destroy"])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--variant", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("--diff", action="store_true")
    args = parser.parse_args()

    home = os.path.join(args.dir, ".pulumi-home")
    backend = "file://" + os.path.join(args.dir, ".state")
    os.makedirs(os.path.join(args.dir, ".state"), exist_ok=True)
    env = {
        "PULUMI_HOME": home,
        "PULUMI_BACKEND_URL": backend,
        "PULUMI_CONFIG_PASSPHRASE": "local-file-backend-passphrase",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
    }
    command = auto.PulumiCommand(root=os.environ["PULUMI_SCIM_CLI_ROOT"], skip_version_check=True)
    stack = auto.create_or_select_stack(
        stack_name="test",
        project_name=PROJECT,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=args.dir,
            pulumi_home=home,
            env_vars=env,
            pulumi_command=command,
            secrets_provider="passphrase",
            project_settings=auto.ProjectSettings(name=PROJECT, runtime="python", backend=auto.ProjectBackend(url=backend)),
        ),
    )
    stack.set_config("variant", auto.ConfigValue(args.variant))
    stack.set_config("databricks-scim:host", auto.ConfigValue(os.environ["SCIM_HOST"]))
    stack.set_config("databricks-scim:token", auto.ConfigValue(os.environ["SCIM_TOKEN"], secret=True))

    text: list[str] = []
    out = text.append
    result: dict = {}
    try:
        if args.command == "up":
            r = stack.up(on_output=out, color="never", diff=args.diff)
            result = {"summary": r.summary.resource_changes, "outputs": {k: v.value for k, v in r.outputs.items()}}
        elif args.command == "preview":
            r = stack.preview(on_output=out, color="never", diff=args.diff)
            result = {"changeSummary": r.change_summary}
        elif args.command == "refresh":
            r = stack.refresh(on_output=out, color="never")
            result = {"summary": r.summary.resource_changes}
        else:
            r = stack.destroy(on_output=out, color="never")
            result = {"summary": r.summary.resource_changes}
        code = 0
    except auto.CommandError as e:
        result = {"error": str(e)}
        code = 1
    result["output"] = "".join(text)
    with open(args.result, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, default=str)
    return code


if __name__ == "__main__":
    sys.exit(main())
