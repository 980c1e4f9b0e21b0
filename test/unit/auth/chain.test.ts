// The credential chain: strategies are tried in order, the first that applies is built, and when none applies the
// error says what was tried and why each did not apply (as the Go SDK's default credentials do).
import { describe, expect, it, vi } from "vitest";
import { AzureEntraAuth, BearerTokenAuth, CredentialError, resolveConnection, type AuthProvider } from "../../../provider/auth";
import type { Attrs } from "../../../provider/auth/attributes";
import type { AuthType } from "../../../provider/auth/authType";
import { runChain } from "../../../provider/auth/chain";
import { DEFAULT_CHAIN, type Strategy, type StrategyContext } from "../../../provider/auth/strategies";
import { envWith, tempHome, thrown, writeFile } from "./helpers";

const WS = "https://dbc-chain.cloud.databricks.com";
const AZ = "https://adb-123.4.azuredatabricks.net";
const ctx: StrategyContext = { host: WS, level: "workspace", env: {}, homeDir: "/nonexistent" };

/** A strategy that applies when `applies` is true, records that it was built, and builds `result`. */
function fake(name: AuthType, applies: true | string, result: AuthProvider | { unmet: string }, built: AuthType[]): Strategy {
  return {
    name,
    applies: () => applies,
    build: () => {
      built.push(name);
      return result;
    },
  };
}
const provider = (source: string): AuthProvider => ({ source, headers: () => Promise.resolve({}) });

describe("runChain", () => {
  it("builds the first strategy that applies and no later one", () => {
    const built: AuthType[] = [];
    const r = runChain(
      [fake("pat", "not set: token", provider("pat"), built), fake("basic", true, provider("basic"), built), fake("oauth-m2m", true, provider("oauth"), built)],
      {},
      ctx,
    );
    expect(r).toMatchObject({ kind: "built", strategy: "basic" });
    expect(r.kind === "built" && r.auth.source).toBe("basic");
    expect(built).toEqual(["basic"]);
  });

  it("when none applies, lists every strategy tried, in order, with why", () => {
    const built: AuthType[] = [];
    const r = runChain([fake("pat", "not set: token", provider("pat"), built), fake("netrc", "no machine x in /h/.netrc", provider("n"), built)], {}, ctx);
    expect(r).toEqual({
      kind: "none",
      tried: [
        { strategy: "pat", reason: "not set: token" },
        { strategy: "netrc", reason: "no machine x in /h/.netrc" },
      ],
    });
    expect(built).toEqual([]);
  });

  it("a strategy that applies but cannot be built ends the search, unless told to pass over it", () => {
    const chain = (built: AuthType[]): Strategy[] => [
      fake("oauth-m2m", true, { unmet: "needs client_id and client_secret; not set: client_secret" }, built),
      fake("azure-cli", true, provider("cli"), built),
    ];
    const strict: AuthType[] = [];
    expect(runChain(chain(strict), {}, ctx)).toEqual({
      kind: "unmet",
      strategy: "oauth-m2m",
      reason: "needs client_id and client_secret; not set: client_secret",
    });
    expect(strict).toEqual(["oauth-m2m"]);
    const lenient: AuthType[] = [];
    expect(runChain(chain(lenient), {}, ctx, true)).toMatchObject({ kind: "built", strategy: "azure-cli" });
    expect(lenient).toEqual(["oauth-m2m", "azure-cli"]);
  });

  it("the real strategies: pat applies only with a token", () => {
    const a: Attrs = { token: { value: "t0ken", layer: "env", origin: "DATABRICKS_TOKEN" } };
    const r = runChain(DEFAULT_CHAIN, a, ctx);
    expect(r.kind === "built" && r.auth).toBeInstanceOf(BearerTokenAuth);
    expect(runChain(DEFAULT_CHAIN, {}, ctx, true)).toMatchObject({ kind: "none" });
  });
});

describe("the default chain", () => {
  it("is in the Go SDK's order: pat, basic, oauth-m2m, then the specific azure methods before the Azure CLI", () => {
    const names = DEFAULT_CHAIN.map((s) => s.name);
    expect(names.slice(0, 3)).toEqual(["pat", "basic", "oauth-m2m"]);
    const azure = names.filter((n) => n.startsWith("azure-"));
    expect(azure).toEqual(["azure-msi", "azure-client-secret", "azure-cli"]);
    expect(names.indexOf("netrc")).toBeLessThan(names.indexOf("azure-msi"));
    expect(new Set(names).size).toBe(7);
  });

  it("no credentials anywhere: the error lists each strategy tried and why, no secret", () => {
    const home = tempHome();
    const e = thrown(() => resolveConnection({}, envWith(home, { DATABRICKS_HOST: WS, ARM_CLIENT_SECRET: "arm-s3cret-value" }), { homeDir: home }));
    expect(e).toBeInstanceOf(CredentialError);
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    expect(e.message).toContain(
      "Tried: pat (not set: token), basic (not set: username, password), oauth-m2m (not set: client_id, client_secret), " +
        `netrc (no machine dbc-chain.cloud.databricks.com with a password in ${home}/.netrc), ` +
        `azure-msi (applies only to Azure Databricks hosts (*.azuredatabricks.net), not ${WS})`,
    );
    expect(e.message).toContain(`azure-cli (applies only to Azure Databricks hosts (*.azuredatabricks.net), not ${WS})`);
    expect(e.message).not.toContain("arm-s3cret-value");
  });

  it("on an Azure host, a ~/.netrc entry (earlier in the chain) wins over the Azure CLI", async () => {
    const home = tempHome();
    writeFile(home, ".netrc", "machine adb-123.4.azuredatabricks.net login token password dapi-from-netrc\n");
    const c = resolveConnection({ host: AZ }, envWith(home), { homeDir: home });
    expect(c.auth).toBeInstanceOf(BearerTokenAuth);
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer dapi-from-netrc" });
    const without = resolveConnection({ host: AZ }, envWith(tempHome()));
    expect((without.auth as AzureEntraAuth).kind).toBe("azure-cli");
  });

  it("a method named by a layer limits the chain to that family: azure attributes on a non-Azure host are reported", () => {
    const e = thrown(() => resolveConnection({ host: WS, azureClientId: "app-id" }, envWith(tempHome())));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    expect(e.message).toContain("Tried: azure-msi (applies only to Azure Databricks hosts");
    expect(e.message).not.toContain("pat (");
  });

  it("the first applicable strategy of a family wins: ARM_USE_MSI before a client secret", () => {
    const c = resolveConnection(
      {},
      envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_USE_MSI: "true", ARM_CLIENT_ID: "a", ARM_CLIENT_SECRET: "b", ARM_TENANT_ID: "t" }),
    );
    expect((c.auth as AzureEntraAuth).kind).toBe("azure-msi");
  });
});

describe("one branded error class", () => {
  it("auth errors are CredentialErrors recognised across module copies", async () => {
    const e = thrown(() => resolveConnection({}, envWith(tempHome())));
    vi.resetModules();
    const copy = await import("../../../provider/client/errors");
    expect(copy.CredentialError).not.toBe(CredentialError);
    expect(e).toBeInstanceOf(copy.CredentialError);
    expect(e).not.toBeInstanceOf(copy.ScimClientError);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ name: "CredentialError", code: "AUTH_NOT_CONFIGURED", message: e.message });
  });
});
