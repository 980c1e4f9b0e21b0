import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../provider/lifecycle/check";
import { userLifecycle as userDefined, type UserInputs, type UserOutputs } from "../../../provider/lifecycle/user";
import { testContexts } from "./testSession";

// The lifecycle as the provider process runs it: bound to a fresh provider session per test (./testSession.ts).
const userLifecycle = userDefined.bind(testContexts);

// check and diff run at preview time and must make no HTTP call: these tests run with no server at all.
const saved = { ...process.env };
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
  process.env.DATABRICKS_HOST = "https://adb-1.2.azuredatabricks.net";
  process.env.DATABRICKS_TOKEN = "dapi-unit-test-token";
  process.env.HOME = "/nonexistent-home-for-tests";
});
afterEach(() => {
  process.env = { ...saved };
});

async function check(news: Record<string, unknown>) {
  return userLifecycle.check({}, news);
}

describe("ScimUser check", () => {
  it("normalises userName to lower case and fills defaults and the target", async () => {
    const r = await check({ userName: "  Alice@Example.COM " });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({
      host: "https://adb-1.2.azuredatabricks.net",
      level: "workspace",
      userName: "alice@example.com",
      active: true,
      onDelete: "delete",
      adopt: false,
    });
  });

  it.each([
    [{}, "userName", "is required"],
    [{ userName: "" }, "userName", "is required"],
    [{ userName: "not-an-email" }, "userName", "is not an email address"],
    [{ userName: "a@b.co", entitlements: ["cluster-create"] }, "entitlements", "'cluster-create' is not a Databricks entitlement"],
    [{ userName: "a@b.co", entitlements: "workspace-access" }, "entitlements", "expected a list"],
    [{ userName: "a@b.co", entitlements: ["workspace-consume", "workspace-access"] }, "entitlements", "cannot be combined"],
    [{ userName: "a@b.co", active: "yes" }, "active", "expected true or false"],
    [{ userName: "a@b.co", onDelete: "archive" }, "onDelete", "'archive' is not allowed"],
    [{ userName: "a@b.co", displayName: "  " }, "displayName", "must not be empty"],
    [{ userName: "a@b.co", level: "org" }, "level", "is not a level"],
    [{ userName: "a@b.co", host: "http://example.com" }, "host", "plain http"],
    [{ userName: "a@b.co", level: "account", host: "https://accounts.cloud.databricks.com" }, "accountId", "is required at account level"],
    [
      { userName: "a@b.co", level: "account", host: "https://accounts.cloud.databricks.com", accountId: "abc", entitlements: ["workspace-access"] },
      "entitlements",
      "exist only in workspaces",
    ],
  ])("rejects %j on %s", async (news, property, text) => {
    const r = await check(news);
    const f = r.failures?.find((x) => x.property === property);
    expect(f, JSON.stringify(r.failures)).toBeDefined();
    expect(f?.reason).toContain(text);
    expect(f?.reason.startsWith(`${property}:`)).toBe(true);
  });

  it("allows plain http to loopback only", async () => {
    const r = await check({ userName: "a@b.co", host: "http://127.0.0.1:8080" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs?.host).toBe("http://127.0.0.1:8080");
  });

  it("fails when no credentials can be found, naming the fix", async () => {
    delete process.env.DATABRICKS_TOKEN;
    process.env.DATABRICKS_HOST = "https://dbc-1.cloud.databricks.com"; // (Azure hosts fall back to the Azure CLI)
    const r = await check({ userName: "a@b.co" });
    // Not on `host` (issue #11): the host is set (DATABRICKS_HOST); no input of the resource is at fault.
    expect(r.failures?.[0]?.property).toBe("");
    expect(r.failures?.[0]?.reason).toMatch(/^no usable Databricks credentials: default auth: .*Env: DATABRICKS_HOST.*Set a token \(DATABRICKS_TOKEN\)/);
  });

  it("passes unknown values through during preview", async () => {
    const r = await check({ userName: UNKNOWN, host: UNKNOWN });
    expect(r.failures).toBeUndefined();
    expect(r.inputs?.userName).toBe(UNKNOWN);
  });

  it("sorts and de-duplicates entitlements", async () => {
    const r = await check({ userName: "a@b.co", entitlements: ["workspace-access", "allow-cluster-create", "workspace-access"] });
    expect(r.inputs?.entitlements).toEqual(["allow-cluster-create", "workspace-access"]);
  });
});

describe("ScimUser diff", () => {
  const base: UserInputs = { host: "https://h", level: "workspace", userName: "a@b.co", active: true, onDelete: "delete", adopt: false };
  const outs = (o: Partial<UserOutputs> = {}): UserOutputs => ({
    ...base,
    displayName: "A",
    entitlements: ["workspace-access"],
    home: "/Users/a@b.co",
    aclPrincipalId: "users/a@b.co",
    managed: ["displayName", "entitlements"],
    ...o,
  });

  it("reports no change when the managed fields match", async () => {
    expect(await userLifecycle.diff("1", outs(), { ...base, displayName: "A", entitlements: ["workspace-access"] })).toEqual({
      changes: false,
      replaces: [],
    });
  });

  it("ignores fields the program does not set", async () => {
    expect((await userLifecycle.diff("1", outs({ externalId: "x" }), { ...base })).changes).toBe(false);
  });

  it("updates in place on displayName and entitlements, order-insensitive", async () => {
    // A change leaves `changes` unset, so that the engine computes the field-level diff that preview --diff shows.
    expect(await userLifecycle.diff("1", outs(), { ...base, displayName: "B" })).toEqual({ replaces: [] });
    const twoOld = outs({ entitlements: ["allow-cluster-create", "workspace-access"] });
    expect((await userLifecycle.diff("1", twoOld, { ...base, entitlements: ["allow-cluster-create", "workspace-access"] })).changes).toBe(false);
    expect(await userLifecycle.diff("1", outs(), { ...base, entitlements: [] })).toEqual({ replaces: [] });
  });

  it("replaces on a new userName or a new target", async () => {
    expect(await userLifecycle.diff("1", outs(), { ...base, userName: "b@b.co" })).toEqual({ replaces: ["userName"] });
    expect((await userLifecycle.diff("1", outs(), { ...base, host: "https://other" })).replaces).toEqual(["host"]);
  });
});
