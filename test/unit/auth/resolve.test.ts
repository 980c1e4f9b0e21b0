import { describe, expect, it } from "vitest";
import { AzureEntraAuth, BasicAuth, BearerTokenAuth, OAuthM2MAuth, resolveConnection } from "../../../provider/auth";
import { envWith, tempHome, thrown } from "./helpers";

const WS = "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com";
const AZ = "https://adb-1234567890123456.7.azuredatabricks.net";
const ACC = "https://accounts.cloud.databricks.com";

describe("environment variables", () => {
  it("DATABRICKS_HOST + DATABRICKS_TOKEN → pat", async () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: `${WS}/`, DATABRICKS_TOKEN: "dapi-env" }));
    expect(c.host).toBe(WS);
    expect(c.level).toBe("workspace");
    expect(c.cloud).toBe("aws");
    expect(c.auth).toBeInstanceOf(BearerTokenAuth);
    expect(c.auth.source).toBe("DATABRICKS_TOKEN from the environment (pat)");
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer dapi-env" });
  });

  it("DATABRICKS_USERNAME + DATABRICKS_PASSWORD → basic", async () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: WS, DATABRICKS_USERNAME: "u@x", DATABRICKS_PASSWORD: "pw" }));
    expect(c.auth).toBeInstanceOf(BasicAuth);
    expect(c.auth.source).toBe("DATABRICKS_USERNAME, DATABRICKS_PASSWORD from the environment (basic)");
    expect(await c.auth.headers()).toEqual({ Authorization: `Basic ${Buffer.from("u@x:pw").toString("base64")}` });
  });

  it("DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET → oauth-m2m (no network at resolve time)", () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: WS, DATABRICKS_CLIENT_ID: "cid", DATABRICKS_CLIENT_SECRET: "csec" }));
    expect(c.auth).toBeInstanceOf(OAuthM2MAuth);
    expect(c.auth.source).toBe("DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET from the environment (oauth-m2m)");
    expect(typeof c.auth.invalidate).toBe("function");
  });

  it("account host → account level; DATABRICKS_ACCOUNT_ID carried", () => {
    const c = resolveConnection(
      {},
      envWith(tempHome(), {
        DATABRICKS_HOST: ACC,
        DATABRICKS_ACCOUNT_ID: "acc-1",
        DATABRICKS_CLIENT_ID: "cid",
        DATABRICKS_CLIENT_SECRET: "csec",
      }),
    );
    expect(c).toMatchObject({ host: ACC, level: "account", accountId: "acc-1", cloud: "aws" });
  });

  it("account id from the host query (?a=) when not set otherwise", () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: `${ACC}/?a=acc-q`, DATABRICKS_TOKEN: "t" }));
    expect(c).toMatchObject({ host: ACC, level: "account", accountId: "acc-q" });
  });

  it("account level without account id is an error naming the fix", () => {
    const e = thrown(() => resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: ACC, DATABRICKS_TOKEN: "t" })));
    expect(e.code).toBe("AUTH_INVALID_CONFIG");
    expect(e.message).toMatch(/account_id is required.*DATABRICKS_ACCOUNT_ID/);
  });

  it("ARM_CLIENT_ID/SECRET/TENANT on an Azure host → azure-client-secret", () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_CLIENT_ID: "a", ARM_CLIENT_SECRET: "b", ARM_TENANT_ID: "t" }));
    expect(c.cloud).toBe("azure");
    expect(c.auth).toBeInstanceOf(AzureEntraAuth);
    expect((c.auth as AzureEntraAuth).kind).toBe("azure-client-secret");
    expect(c.auth.source).toBe("ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID from the environment (azure-client-secret)");
  });

  it("ARM_USE_MSI on an Azure host → azure-msi; ARM_USE_MSI=false is no setting", () => {
    const msi = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_USE_MSI: "true" }));
    expect((msi.auth as AzureEntraAuth).kind).toBe("azure-msi");
    const off = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_USE_MSI: "false" }));
    expect((off.auth as AzureEntraAuth).kind).toBe("azure-cli");
    expect(() => resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_USE_MSI: "yes please" }))).toThrow(
      /ARM_USE_MSI: "yes please" is not a boolean/,
    );
  });

  it("Azure host with nothing else → AZURE_* client secret, else the Azure CLI", () => {
    const viaAzureEnv = resolveConnection(
      {},
      envWith(tempHome(), { DATABRICKS_HOST: AZ, AZURE_CLIENT_ID: "a", AZURE_CLIENT_SECRET: "b", AZURE_TENANT_ID: "t" }),
    );
    expect((viaAzureEnv.auth as AzureEntraAuth).kind).toBe("azure-client-secret");
    expect(viaAzureEnv.auth.source).toMatch(/^AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID from the environment/);
    const cli = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ }));
    expect((cli.auth as AzureEntraAuth).kind).toBe("azure-cli");
    expect(cli.auth.source).toBe("the Azure CLI (azure-cli)");
  });

  it("ARM_* set for another tool do not disturb a token on a non-Azure host", () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: WS, DATABRICKS_TOKEN: "t", ARM_CLIENT_ID: "a", ARM_CLIENT_SECRET: "b" }));
    expect(c.auth).toBeInstanceOf(BearerTokenAuth);
  });

  it("empty variables count as unset", () => {
    const e = thrown(() => resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: WS, DATABRICKS_TOKEN: "" })));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
  });
});

describe("explicit settings", () => {
  it("win over the environment, attribute by attribute", async () => {
    const env = envWith(tempHome(), { DATABRICKS_HOST: "https://env.cloud.databricks.com", DATABRICKS_TOKEN: "from-env" });
    const c = resolveConnection({ host: WS, token: "from-program" }, env);
    expect(c.host).toBe(WS);
    expect(c.auth.source).toBe("connection settings (pat)");
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer from-program" });
  });

  it("an explicit host takes the token from the environment", async () => {
    const c = resolveConnection({ host: WS }, envWith(tempHome(), { DATABRICKS_TOKEN: "from-env" }));
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer from-env" });
  });

  it("an explicit method is not overruled by another method in the environment", async () => {
    const env = envWith(tempHome(), { DATABRICKS_CLIENT_ID: "cid", DATABRICKS_CLIENT_SECRET: "csec" });
    const c = resolveConnection({ host: WS, token: "tok" }, env);
    expect(c.auth).toBeInstanceOf(BearerTokenAuth);
  });

  it("a lower layer fills the other half of the same method", () => {
    const c = resolveConnection({ host: WS, clientId: "cid" }, envWith(tempHome(), { DATABRICKS_CLIENT_SECRET: "csec" }));
    expect(c.auth).toBeInstanceOf(OAuthM2MAuth);
    expect(c.auth.source).toBe("connection settings and DATABRICKS_CLIENT_SECRET from the environment (oauth-m2m)");
  });

  it("level overrides the detection; a bad level is rejected", () => {
    const c = resolveConnection({ host: "http://127.0.0.1:9", token: "t", level: "account", accountId: "a1" }, envWith(tempHome()));
    expect(c.level).toBe("account");
    const w = resolveConnection({ host: ACC, token: "t", level: "workspace" }, envWith(tempHome()));
    expect(w.level).toBe("workspace");
    const e = thrown(() => resolveConnection({ host: WS, token: "t", level: "org" as unknown as "account" }, envWith(tempHome())));
    expect(e.code).toBe("AUTH_INVALID_CONFIG");
  });

  it("explicit Azure attributes, resource id → workspace resource headers", async () => {
    const seen: string[] = [];
    const c = resolveConnection(
      {
        host: AZ,
        azureClientId: "a",
        azureClientSecret: "b",
        azureTenantId: "t",
        azureResourceId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Databricks/workspaces/w",
      },
      envWith(tempHome()),
      {
        azureCredentialFactory: (req) => {
          seen.push(req.kind);
          return {
            getToken: (scope: string | string[]) => Promise.resolve({ token: `tok-for-${String(scope)}`, expiresOnTimestamp: Date.now() + 3_600_000 }),
          };
        },
      },
    );
    const h = await c.auth.headers();
    expect(seen).toEqual(["azure-client-secret"]);
    expect(h.Authorization).toBe("Bearer tok-for-2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default");
    expect(h["X-Databricks-Azure-SP-Management-Token"]).toBe("tok-for-https://management.core.windows.net//.default");
    expect(h["X-Databricks-Azure-Workspace-Resource-Id"]).toBe("/subscriptions/s/resourceGroups/g/providers/Microsoft.Databricks/workspaces/w");
  });
});

describe("errors", () => {
  it("more than one method in one layer → the spec's validate error, names sorted", () => {
    const e = thrown(() =>
      resolveConnection(
        {},
        envWith(tempHome(), {
          DATABRICKS_HOST: WS,
          DATABRICKS_TOKEN: "t",
          DATABRICKS_USERNAME: "u",
          DATABRICKS_PASSWORD: "p",
        }),
      ),
    );
    expect(e.code).toBe("AUTH_AMBIGUOUS");
    expect(e.message).toMatch(/^validate: more than one authorization method configured: basic and pat\. /);
    expect(e.message).toContain("Env: DATABRICKS_HOST, DATABRICKS_TOKEN, DATABRICKS_USERNAME, DATABRICKS_PASSWORD");
    expect(e.message).toContain("authType");
  });

  it("ambiguity in explicit settings too", () => {
    const e = thrown(() => resolveConnection({ host: WS, token: "t", clientId: "c", clientSecret: "s" }, envWith(tempHome())));
    expect(e.code).toBe("AUTH_AMBIGUOUS");
    expect(e.message).toMatch(/configured: oauth and pat\./);
  });

  it("authType settles ambiguity", () => {
    const c = resolveConnection(
      { authType: "oauth-m2m" },
      envWith(tempHome(), { DATABRICKS_HOST: WS, DATABRICKS_TOKEN: "t", DATABRICKS_CLIENT_ID: "c", DATABRICKS_CLIENT_SECRET: "s" }),
    );
    expect(c.auth).toBeInstanceOf(OAuthM2MAuth);
    const p = resolveConnection(
      {},
      envWith(tempHome(), { DATABRICKS_AUTH_TYPE: "pat", DATABRICKS_HOST: WS, DATABRICKS_TOKEN: "t", DATABRICKS_CLIENT_ID: "c" }),
    );
    expect(p.auth).toBeInstanceOf(BearerTokenAuth);
  });

  it("authType whose inputs are missing fails with what is missing", () => {
    const e = thrown(() => resolveConnection({ authType: "oauth-m2m" }, envWith(tempHome(), { DATABRICKS_HOST: WS })));
    expect(e.code).toBe("AUTH_INVALID_CONFIG");
    expect(e.message).toContain("not set: client_id, client_secret");
    const az = thrown(() => resolveConnection({ authType: "azure-cli" }, envWith(tempHome(), { DATABRICKS_HOST: WS })));
    expect(az.message).toContain("applies only to Azure Databricks hosts");
  });

  it("unknown authType → the spec's text; SDK-only types are named as unsupported", () => {
    const e = thrown(() => resolveConnection({ authType: "magic" }, envWith(tempHome(), { DATABRICKS_HOST: WS })));
    expect(e.code).toBe("AUTH_UNKNOWN_AUTH_TYPE");
    expect(e.message).toContain(
      'auth type "magic" not found, please check https://docs.databricks.com/en/dev-tools/auth.html#databricks-client-unified-authentication for a list of supported auth types',
    );
    const g = thrown(() => resolveConnection({ authType: "google-id" }, envWith(tempHome(), { DATABRICKS_HOST: WS })));
    expect(g.message).toMatch(/"google-id".*not supported by pulumi-databricks-scim/);
  });

  it("no method → the spec's default auth text with Config and Env (names only)", () => {
    const e = thrown(() => resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: WS })));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    expect(e.message).toContain(
      "default auth: cannot configure default credentials, please check https://docs.databricks.com/en/dev-tools/auth.html#databricks-client-unified-authentication to configure credentials for your preferred authentication method. " +
        `Config: host=${WS}. Env: DATABRICKS_HOST`,
    );
  });

  it("no host at all", () => {
    const e = thrown(() => resolveConnection({}, envWith(tempHome(), { DATABRICKS_TOKEN: "t" })));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    expect(e.message).toContain("Config: token=***. Env: DATABRICKS_TOKEN");
    expect(e.message).toContain("no host is configured");
  });

  it("an incomplete method says what is missing", () => {
    const e = thrown(() => resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: WS, DATABRICKS_CLIENT_ID: "c" })));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    expect(e.message).toContain("oauth-m2m: needs client_id and client_secret; not set: client_secret");
  });
});

describe("Azure attributes that are incomplete", () => {
  it("an Azure client secret without tenant is reported, not replaced by the CLI", () => {
    const e = thrown(() => resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_CLIENT_ID: "a", ARM_CLIENT_SECRET: "b" })));
    expect(e.code).toBe("AUTH_NOT_CONFIGURED");
    expect(e.message).toContain("azure-client-secret: needs azure_client_id and azure_client_secret and azure_tenant_id; not set: azure_tenant_id");
  });

  it("a tenant alone means the Azure CLI for that tenant", () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_TENANT_ID: "t" }));
    expect((c.auth as AzureEntraAuth).kind).toBe("azure-cli");
    expect(c.auth.source).toBe("ARM_TENANT_ID from the environment (azure-cli)");
  });
});
