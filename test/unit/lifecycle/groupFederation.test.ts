// ScimGroup on an identity-federated workspace: workspaceLocal, and the guidance when the name is an account group's.
import { describe, expect, it } from "vitest";
import { groupLifecycle as groupDefined } from "../../../provider/lifecycle/group";
import { testContexts } from "./testSession";
import { failureOf, scimError, useCleanEnv, useStubWorkspaces } from "./helpers";

const groupLifecycle = groupDefined.bind(testContexts);
useCleanEnv();
const stubWorkspace = useStubWorkspaces();
const check = (news: Record<string, unknown>) => groupLifecycle.check({}, news);

/** A federated workspace where an assigned account group holds the name: POST 409, the list shows it as "Group". */
const accountGroupThere = () =>
  stubWorkspace((req) => {
    if (req.method === "POST") return { status: 409, body: scimError(409, "Group with name eng already exists.") };
    return { status: 200, body: { totalResults: 1, startIndex: 1, Resources: [{ id: "7", displayName: "eng", meta: { resourceType: "Group" } }] } };
  });

describe("ScimGroup and identity federation", () => {
  it("workspaceLocal: kept in inputs only when true, refused at account level", async () => {
    expect((await check({ displayName: "eng" })).inputs).not.toHaveProperty("workspaceLocal");
    expect((await check({ displayName: "eng", workspaceLocal: false })).inputs).not.toHaveProperty("workspaceLocal");
    expect((await check({ displayName: "eng", workspaceLocal: true })).inputs?.workspaceLocal).toBe(true);
    const account = { level: "account", host: "https://accounts.cloud.databricks.com", accountId: "acc-1" };
    expect(failureOf((await check({ ...account, displayName: "eng", workspaceLocal: true })).failures, "workspaceLocal")).toContain(
      "is for workspace-level groups",
    );
    expect(failureOf((await check({ displayName: "eng", workspaceLocal: "yes" })).failures, "workspaceLocal")).toContain("expected true or false");
  });

  it("a workspace-level group named like an account group in the workspace fails at up, naming WorkspaceAssignment and getGroup", async () => {
    const s = await accountGroupThere();
    await expect(groupLifecycle.create({ ...s.target, displayName: "eng", adopt: false })).rejects.toThrow(
      /^displayName: 'eng' is an account group \(id 7\) .*getGroup\(\{ displayName: "eng", level: "account" \}\).*WorkspaceAssignment.*WorkspaceEntitlements.*workspaceLocal: true/,
    );
    // The first GET is the account-group probe (the stub's proxy answers 404), so the 409 path tells it here.
    expect(s.requests.map((q) => q.method)).toEqual(["GET", "POST", "GET"]);
  });

  it("with workspaceLocal the message says a local group cannot take an account group's name", async () => {
    const s = await accountGroupThere();
    await expect(groupLifecycle.create({ ...s.target, displayName: "eng", adopt: false, workspaceLocal: true })).rejects.toThrow(
      /^displayName: 'eng' is the name of an account group .*Give the local group another name/,
    );
  });

  it("diff: switching workspaceLocal is an update of state only (no replacement)", async () => {
    const olds = { host: "h", level: "workspace" as const, displayName: "eng", adopt: false, managed: [], aclPrincipalId: "groups/eng", url: "u" };
    expect(await groupLifecycle.diff("7", olds, { host: "h", level: "workspace", displayName: "eng", adopt: false, workspaceLocal: true })).toEqual({
      replaces: [],
    });
  });
});
