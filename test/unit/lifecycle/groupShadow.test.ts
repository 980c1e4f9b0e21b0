// The shadow-group rule across one program: an account group and a workspace-level ScimGroup of the same name are
// refused at check (preview), whichever the engine checks first, with one message naming both resources, the field
// and the fix; and again at create, for a run without a preview, when the other side is checked while the create
// waits for the group checks to go quiet. Through the lifecycle bound to the provider process's real registry.
import { describe, expect, it } from "vitest";
import { groupLifecycle as groupDefined } from "../../../provider/lifecycle/group";
import { declaredGroupOf, shadowOf } from "../../../provider/lifecycle/groupShadow";
import type { DeclaredGroup } from "../../../provider/lifecycle/types";
import { testContexts } from "./testSession";
import { CHECK_QUIET_MS } from "../../../provider/runtime/groupNames";
import { failureOf, useCleanEnv, useStubWorkspaces } from "./helpers";

const groupLifecycle = groupDefined.bind(testContexts);
const WS_HOST = "https://adb-1.2.azuredatabricks.net";
useCleanEnv(WS_HOST);
const stubWorkspace = useStubWorkspaces();

const ACCOUNT = { level: "account", host: "https://accounts.azuredatabricks.net", accountId: "acc-1" };
// As the ScimGroup class registers them: `declaration` carries the resource name (and the program's counterparts).
const wsGroup = (resourceName: string, displayName: string, extra: Record<string, unknown> = {}) => ({ declaration: { resourceName }, displayName, ...extra });
const accountGroup = (resourceName: string, displayName: string, extra: Record<string, unknown> = {}) => ({
  ...ACCOUNT,
  declaration: { resourceName },
  displayName,
  ...extra,
});
const check = (news: Record<string, unknown>) => groupLifecycle.check({}, news);

const MESSAGE =
  "displayName: ScimGroup 'eng-local' (workspace level) and ScimGroup 'eng' (account level) are both named 'engineers'. " +
  "In an identity-federated workspace, a workspace-level ScimGroup is a separate workspace-local group of " +
  "that name, which shadows the account group there: Unity Catalog grants and other workspaces cannot use it, and the account group's " +
  "members are not in it. Use the account group there instead: remove ScimGroup 'eng-local', and give ScimGroup 'eng' access to the " +
  "workspace with WorkspaceAssignment (and its entitlements there with WorkspaceEntitlements). To make a workspace-local group on " +
  "purpose, set workspaceLocal: true on ScimGroup 'eng-local' (and give it another name, if the account group is assigned to that workspace).";

describe("the decision", () => {
  const ws = (over: Partial<DeclaredGroup> = {}): DeclaredGroup => ({ resourceName: "w", level: "workspace", host: WS_HOST, displayName: "eng", ...over });
  const acct = (over: Partial<DeclaredGroup> = {}): DeclaredGroup => ({
    resourceName: "a",
    level: "account",
    host: ACCOUNT.host,
    accountId: "acc-1",
    displayName: "eng",
    ...over,
  });

  it("pairs a workspace-level group with an account group, from either side, the workspace group first", () => {
    expect(shadowOf(ws(), [ws(), acct()])).toEqual({ workspace: ws(), account: acct() });
    expect(shadowOf(acct(), [ws(), acct()])).toEqual({ workspace: ws(), account: acct() });
  });

  it("two groups of one level never pair; other accounts do not pair; a workspace without an account id matches any", () => {
    expect(shadowOf(ws(), [ws({ resourceName: "w2", host: "https://other" })])).toBeUndefined();
    expect(shadowOf(acct(), [acct({ resourceName: "a2" })])).toBeUndefined();
    expect(shadowOf(ws({ accountId: "acc-2" }), [acct()])).toBeUndefined();
    expect(shadowOf(ws({ accountId: "acc-1" }), [acct()])).toBeDefined();
  });

  it("a workspace-local group, an unknown name or level cannot shadow: nothing is declared for it", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(declaredGroupOf("w", { host: WS_HOST, level: "workspace", displayName: "eng", workspaceLocal: true })).toBeUndefined();
    expect(declaredGroupOf("w", { host: WS_HOST, level: "workspace", displayName: unknown })).toBeUndefined();
    expect(declaredGroupOf("w", { host: WS_HOST, level: unknown as "workspace", displayName: "eng" })).toBeUndefined();
    expect(declaredGroupOf("a", { ...ACCOUNT, level: "account", accountId: unknown, displayName: "eng" })).toEqual({
      resourceName: "a",
      level: "account",
      host: ACCOUNT.host,
      displayName: "eng",
    });
  });
});

describe("at check (preview): refused every time, whatever the order", () => {
  it("workspace group checked first: the account group's check fails with the message naming both", async () => {
    expect((await check(wsGroup("eng-local", "engineers"))).failures).toBeUndefined();
    expect(failureOf((await check(accountGroup("eng", "engineers"))).failures, "displayName")).toBe(MESSAGE);
  });

  it("account group checked first: the workspace group's check fails with the same message", async () => {
    expect((await check(accountGroup("eng", "engineers"))).failures).toBeUndefined();
    // Databricks compares group names ignoring case: "Engineers" is the same name (the message says the refused one's).
    expect(failureOf((await check(wsGroup("eng-local", "Engineers"))).failures, "displayName")).toBe(MESSAGE.replace("'engineers'", "'Engineers'"));
  });

  it("a second check of the same resource does not conflict with itself, nor after a rename with its old name", async () => {
    expect((await check(wsGroup("eng-local", "engineers"))).failures).toBeUndefined();
    expect((await check(wsGroup("eng-local", "engineers"))).failures).toBeUndefined();
    expect((await check(wsGroup("eng-local", "eng-ws"))).failures).toBeUndefined();
    expect((await check(accountGroup("eng", "engineers"))).failures).toBeUndefined();
  });

  it("not refused: workspaceLocal: true, another name, another account, two workspace groups of one name", async () => {
    expect((await check(accountGroup("eng", "engineers"))).failures).toBeUndefined();
    expect((await check(wsGroup("eng-local", "engineers", { workspaceLocal: true }))).failures).toBeUndefined();
    expect((await check(wsGroup("ops", "operations"))).failures).toBeUndefined();
    expect((await check(wsGroup("other-account", "engineers", { accountId: "acc-2" }))).failures).toBeUndefined();
    expect((await check(wsGroup("ws2-ops", "operations", { host: "https://adb-2.3.azuredatabricks.net" }))).failures).toBeUndefined();
  });

  it("the program's declaration decides on its own: the first group checked is refused too, with the same message", async () => {
    const first = await check({ ...wsGroup("eng-local", "engineers"), declaration: { resourceName: "eng-local", otherLevel: ["eng"] } });
    expect(failureOf(first.failures, "displayName")).toBe(MESSAGE);
    const acct = await check({ ...accountGroup("eng", "engineers"), declaration: { resourceName: "eng", otherLevel: ["eng-local"] } });
    expect(failureOf(acct.failures, "displayName")).toBe(MESSAGE);
    // A workspace-local group's counterparts (an older program's view) are no reason: it cannot shadow.
    const local = await check({ ...wsGroup("x", "engineers", { workspaceLocal: true }), declaration: { resourceName: "x", otherLevel: ["eng"] } });
    expect(local.failures).toBeUndefined();
  });

  it("the declaration is not kept in the inputs", async () => {
    expect((await check(wsGroup("eng-local", "engineers"))).inputs).not.toHaveProperty("declaration");
  });
});

describe("at create, without a preview", () => {
  it("the workspace group's create, checked before the account group, is refused before any request", async () => {
    const s = await stubWorkspace(() => ({ status: 500, body: {} }));
    const ws = await check({ ...wsGroup("eng-local", "engineers"), host: s.url });
    expect(ws.failures).toBeUndefined();
    const started = Date.now();
    const create = groupLifecycle.create(ws.inputs!);
    // The engine checks the account group while the workspace group's create is already running.
    await new Promise((r) => setTimeout(r, CHECK_QUIET_MS / 4));
    expect(failureOf((await check(accountGroup("eng", "engineers"))).failures, "displayName")).toBe(MESSAGE);
    await expect(create).rejects.toThrow(MESSAGE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(CHECK_QUIET_MS);
    expect(s.requests).toEqual([]);
  });

  it("the account group's create, when a workspace group of the name is declared, is refused before any request", async () => {
    expect((await check(accountGroup("eng", "engineers"))).failures).toBeUndefined();
    const acct = await check(accountGroup("eng", "engineers"));
    expect((await check(wsGroup("eng-local", "engineers"))).failures).toBeDefined();
    // No client is made for the account host: the refusal comes first (a request would fail: nothing listens there).
    await expect(groupLifecycle.create(acct.inputs!)).rejects.toThrow(MESSAGE);
  });

  it("nothing declared against it: the create goes on after the quiet wait", async () => {
    const s = await stubWorkspace((req) =>
      req.method === "POST"
        ? { status: 201, body: { id: "9", displayName: "engineers", meta: { resourceType: "WorkspaceGroup" } } }
        : { status: 200, body: { totalResults: 0, startIndex: 1, Resources: [] } },
    );
    const ws = await check({ ...wsGroup("eng-local", "engineers"), host: s.url });
    expect((await groupLifecycle.create(ws.inputs!)).id).toBe("9");
  });
});
