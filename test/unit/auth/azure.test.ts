import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { AZURE_DATABRICKS_SCOPE, AzureEntraAuth, resolveConnection, type AzureCredentialRequest } from "../../../provider/auth";
import { envWith, rejected, tempHome } from "./helpers";

const AZ = "https://adb-1234567890123456.7.azuredatabricks.net";

/** A TokenCredential that counts calls and hands out numbered tokens. */
function countingCredential(lifetimeMs = 3_600_000, delayMs = 0): TokenCredential & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? scopes.join(" ") : scopes;
      calls.push(scope);
      const n = calls.length;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return { token: `entra-${n}`, expiresOnTimestamp: Date.now() + lifetimeMs, tokenType: "Bearer" };
    },
  };
}

describe("Entra through the credential seam", () => {
  it("resolveConnection hands the right request to the factory; one token for the Databricks scope", async () => {
    const requests: AzureCredentialRequest[] = [];
    const cred = countingCredential();
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_CLIENT_ID: "app", ARM_CLIENT_SECRET: "s3cr3t-arm", ARM_TENANT_ID: "tnt" }), {
      azureCredentialFactory: (r) => {
        requests.push(r);
        return cred;
      },
    });
    expect(requests).toHaveLength(0); // lazily
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer entra-1" });
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer entra-1" });
    expect(requests).toEqual([{ kind: "azure-client-secret", tenantId: "tnt", clientId: "app", clientSecret: "s3cr3t-arm" }]);
    expect(cred.calls).toEqual([AZURE_DATABRICKS_SCOPE]);
  });

  it("msi with a user-assigned client id; cli with a tenant", async () => {
    const requests: AzureCredentialRequest[] = [];
    const factory = (r: AzureCredentialRequest): TokenCredential => {
      requests.push(r);
      return countingCredential();
    };
    const msi = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_USE_MSI: "1", ARM_CLIENT_ID: "uami" }), {
      azureCredentialFactory: factory,
    });
    const cli = resolveConnection({ host: AZ, azureTenantId: "tnt" }, envWith(tempHome()), { azureCredentialFactory: factory });
    await msi.auth.headers();
    await cli.auth.headers();
    expect(requests).toEqual([
      { kind: "azure-msi", clientId: "uami" },
      { kind: "azure-cli", tenantId: "tnt" },
    ]);
  });

  it("refreshes at least 40 s early, even when asked for less", async () => {
    let now = 5_000_000;
    const cred: TokenCredential = {
      getToken: () => Promise.resolve({ token: `t-${now}`, expiresOnTimestamp: now + 3_600_000 }),
    };
    const auth = new AzureEntraAuth({
      request: { kind: "azure-cli" },
      source: "test",
      credentialFactory: () => cred,
      earlyRefreshMs: 1_000,
      now: () => now,
    });
    const first = await auth.headers();
    now += 3_600_000 - 41_000;
    expect(await auth.headers()).toEqual(first);
    now += 2_000; // 39 s before expiry
    expect(await auth.headers()).not.toEqual(first);
  });

  it("invalidate() and concurrent callers", async () => {
    const cred = countingCredential(3_600_000, 50);
    const auth = new AzureEntraAuth({ request: { kind: "azure-cli" }, source: "test", credentialFactory: () => cred });
    const all = await Promise.all(Array.from({ length: 10 }, () => auth.headers()));
    expect(new Set(all.map((h) => h.Authorization)).size).toBe(1);
    expect(cred.calls).toHaveLength(1);
    auth.invalidate();
    expect(await auth.headers()).toEqual({ Authorization: "Bearer entra-2" });
  });

  it("a failing credential → AUTH_AZURE with the fix and no secret", async () => {
    const secret = "arm-secret-XYZZY-123";
    const auth = new AzureEntraAuth({
      request: { kind: "azure-client-secret", tenantId: "t", clientId: "c", clientSecret: secret },
      source: "ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID from the environment (azure-client-secret)",
      credentialFactory: () => ({
        getToken: () => Promise.reject(new Error(`AADSTS7000215: Invalid client secret provided: ${secret}`)),
      }),
    });
    const e = await rejected(auth.headers());
    expect(e.code).toBe("AUTH_AZURE");
    expect(e.message).toContain("AADSTS7000215");
    expect(e.message).toContain("ARM_CLIENT_SECRET");
    expect(`${e.message}${e.stack}${JSON.stringify(e)}`).not.toContain(secret);
  });

  it("the management token is best effort for azure-cli", async () => {
    const cred: TokenCredential = {
      getToken: (s) =>
        String(s).startsWith("https://management")
          ? Promise.reject(new Error("no management"))
          : Promise.resolve({ token: "dbx", expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const auth = new AzureEntraAuth({
      request: { kind: "azure-cli" },
      source: "test",
      resourceId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Databricks/workspaces/w",
      credentialFactory: () => cred,
    });
    expect(await auth.headers()).toEqual({
      Authorization: "Bearer dbx",
      "X-Databricks-Azure-Workspace-Resource-Id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Databricks/workspaces/w",
    });
  });
});

// ── @azure/identity for real, against a local TLS authority ────────────────────────────────────────────────────
// @azure/identity insists on an https authority. The test makes a self-signed certificate with openssl, serves the
// two requests MSAL sends (openid-configuration, then the token POST) and trusts the certificate through
// the credential's tlsOptions (no NODE_EXTRA_CA_CERTS needed); disableInstanceDiscovery keeps MSAL off the internet.
function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())("ClientSecretCredential against a local TLS authority", () => {
  const TENANT = "00000000-1111-2222-3333-444444444444";
  const SECRET = "entra-app-secret-QQQ";
  const posts: URLSearchParams[] = [];
  let server: https.Server;
  let authority: string;
  let ca: string;

  beforeAll(async () => {
    const dir = tempHomeForSuite();
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    ca = fs.readFileSync(cert, "utf8");
    server = https.createServer({ key: fs.readFileSync(key), cert: ca }, (req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const json = (status: number, obj: unknown): void => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(obj));
        };
        const url = new URL(req.url ?? "/", authority);
        if (req.method === "GET" && url.pathname === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
          return json(200, {
            token_endpoint: `${authority}/${TENANT}/oauth2/v2.0/token`,
            authorization_endpoint: `${authority}/${TENANT}/oauth2/v2.0/authorize`,
            issuer: `${authority}/${TENANT}/v2.0`,
            jwks_uri: `${authority}/${TENANT}/discovery/v2.0/keys`,
          });
        }
        if (req.method === "POST" && url.pathname === `/${TENANT}/oauth2/v2.0/token`) {
          const form = new URLSearchParams(body);
          posts.push(form);
          if (form.get("client_secret") !== SECRET) {
            return json(401, { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." });
          }
          return json(200, { token_type: "Bearer", expires_in: 3599, access_token: `entra-real-${posts.length}` });
        }
        json(404, { error: "not_found" });
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    authority = `https://localhost:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(suiteDir!, { recursive: true, force: true });
  });

  it("gets and caches a token for the Azure Databricks scope", async () => {
    const c = resolveConnection({}, envWith(tempHome(), { DATABRICKS_HOST: AZ, ARM_CLIENT_ID: "app-id", ARM_CLIENT_SECRET: SECRET, ARM_TENANT_ID: TENANT }), {
      azureCredentialOptions: { authorityHost: authority, disableInstanceDiscovery: true, tlsOptions: { ca } },
    });
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer entra-real-1" });
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer entra-real-1" });
    expect(posts).toHaveLength(1);
    expect(posts[0]!.get("grant_type")).toBe("client_credentials");
    expect(posts[0]!.get("client_id")).toBe("app-id");
    expect(posts[0]!.get("scope")?.split(" ")).toContain(AZURE_DATABRICKS_SCOPE);
  });

  it("a wrong secret → AUTH_AZURE without the secret", async () => {
    const wrong = "entra-WRONG-secret-777";
    const c = resolveConnection({ host: AZ, azureClientId: "app-id", azureClientSecret: wrong, azureTenantId: TENANT }, envWith(tempHome()), {
      azureCredentialOptions: { authorityHost: authority, disableInstanceDiscovery: true, tlsOptions: { ca } },
    });
    const e = await rejected(c.auth.headers());
    expect(e.code).toBe("AUTH_AZURE");
    expect(e.message).toContain("AADSTS7000215");
    expect(`${e.message}${e.stack}${JSON.stringify(e)}`).not.toContain(wrong);
  });
});

let suiteDir: string | undefined;
function tempHomeForSuite(): string {
  suiteDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-tls-"));
  return suiteDir;
}
