// The connection object: refused secrets, check-time validation, call-time credential inputs, and the wrapper
// that carries the source into outputs.
import { describe, expect, it } from "vitest";
import { Checker } from "../../../provider/lifecycle/check";
import { checkConnection } from "../../../provider/lifecycle/connection";
import { DatabricksConnection } from "../../../provider/resources/connection";
import { credentialInputs, sourceKey } from "../../../provider/runtime/credentials";
import { withConnection } from "../../../provider/lifecycle/define";
import { AuthError } from "../../../provider/client";

describe("DatabricksConnection", () => {
  it("keeps names and refuses secrets, without echoing them", () => {
    const c = new DatabricksConnection({ host: "https://h", profile: "ws2", tokenEnvVar: "WS2_TOKEN" });
    expect({ ...c }).toEqual({ host: "https://h", profile: "ws2", tokenEnvVar: "WS2_TOKEN" });
    const secret = "dapi0123456789abcdef";
    for (const args of [{ token: secret }, { clientSecret: secret }, { password: secret }, { azureClientSecret: secret }]) {
      expect(() => new DatabricksConnection(args as never)).toThrow(/never carries a secret/);
    }
    try {
      new DatabricksConnection({ tokenEnvVar: secret });
    } catch (e) {
      expect((e as Error).message).toMatch(/looks like a credential/);
      expect((e as Error).message).not.toContain(secret);
    }
    expect(() => new DatabricksConnection({ hots: "x" } as never)).toThrow(/not a connection setting/);
  });
});

describe("checkConnection", () => {
  it("splits target and source and checks env var names exist", () => {
    const c = new Checker();
    const r = checkConnection(c, { host: "https://h", level: "account", accountId: "a", tokenEnvVar: "T" }, (name) => name === "T");
    expect(c.failures).toEqual([]);
    expect(r).toEqual({ unknown: false, host: "https://h", level: "account", accountId: "a", source: { tokenEnvVar: "T" } });
    const c2 = new Checker();
    checkConnection(c2, { tokenEnvVar: "MISSING", token: "dapi-x" }, () => false);
    expect(c2.failures.map((f) => f.property)).toEqual(["connection.tokenEnvVar", "connection.token"]);
    expect(JSON.stringify(c2.failures)).not.toContain("dapi-x");
  });
});

describe("credentialInputs", () => {
  const env = { DATABRICKS_TOKEN: "ambient", DATABRICKS_HOST: "https://ambient", WS2: "tok2", HOME: "/h" };
  it("a connection naming its credentials ignores stack config and DATABRICKS_*", () => {
    const r = credentialInputs({ host: "https://ws2", level: "workspace", connection: { tokenEnvVar: "WS2" } }, { token: "stack" }, env);
    expect(r.settings.token).toBe("tok2");
    expect(r.env).toEqual({ WS2: "tok2", HOME: "/h" });
    expect(r.origins.token).toBe("WS2 from the environment (connection.tokenEnvVar)");
  });
  it("otherwise the stack config, labelled by key", () => {
    const r = credentialInputs({ host: "https://ws1", level: "workspace" }, { token: "stack" }, env);
    expect(r.settings.token).toBe("stack");
    expect(r.origins.token).toBe("databricks-scim:token from the stack configuration");
    expect(r.env).toBe(env);
  });
  it("cache keys differ by source", () => {
    expect(sourceKey({})).not.toBe(sourceKey({ connection: { profile: "a" } }));
    expect(sourceKey({ connection: { profile: "a", authType: "pat" } })).toBe(sourceKey({ connection: { authType: "pat", profile: "a" } }));
  });
});

describe("withConnection", () => {
  const base = {
    check: async (_o: Record<string, unknown>, n: Record<string, unknown>) => ({ inputs: n }),
    diff: async () => ({ changes: false }),
    create: async () => ({ id: "1", outs: { host: "h" } }),
    update: async () => ({ outs: { host: "h" } }),
    read: async () => ({ id: "1", props: { host: "h" }, inputs: { host: "h" } }),
    delete: async () => {
      throw new AuthError({
        method: "DELETE",
        path: "/x",
        status: 403,
        origin: "https://h",
        authSource: "databricks-scim:token from the stack configuration (pat)",
        authSourceKinds: ["stackConfig"],
      } as never);
    },
  };
  const lc = withConnection(base as never);
  it("carries the source into outputs, and a changed source is an update", async () => {
    expect((await lc.create({ connection: { profile: "p" } })).outs).toEqual({ host: "h", connection: { profile: "p" } });
    expect(await lc.diff("1", { connection: { profile: "p" } }, { connection: { profile: "q" } })).toEqual({ changes: true });
    expect(await lc.diff("1", { connection: { profile: "p" } }, { connection: { profile: "p" } })).toEqual({ changes: false });
    expect((await lc.read("1", { connection: { profile: "p" } })).inputs).toEqual({ host: "h", connection: { profile: "p" } });
  });
  it("explains a rejected stack-config token on destroy", async () => {
    await expect(lc.delete("1", {})).rejects.toThrow(/pulumi destroy --run-program/);
  });
});
