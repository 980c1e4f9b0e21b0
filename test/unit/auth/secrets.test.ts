// Every error path, built with distinctive secrets: none may appear in a message, a stack, JSON.stringify of the
// error, a provider's `source`, or JSON.stringify / util.inspect of a resolved connection.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as util from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureEntraAuth, OAuthM2MAuth, resolveConnection, type ConnectionSettings } from "../../../provider/auth";
import { envWith, rejected, tempHome, thrown, writeFile } from "./helpers";

const S = {
  token: "SECRET-pat-1a2b3c",
  password: "SECRET-password-4d5e",
  clientSecret: "SECRET-oauth-6f7g8h",
  armSecret: "SECRET-arm-9i0j",
  azureSecret: "SECRET-azure-env-kl",
  netrc: "SECRET-netrc-mn",
  profileToken: "SECRET-profile-op",
  /** An access token handed out by a (fake) Entra: cached tokens are credentials too. */
  accessToken: "SECRET-access-token-qr",
};
const ALL = Object.values(S);
const b64 = (u: string, p: string): string => Buffer.from(`${u}:${p}`).toString("base64");
const ALL_FORMS = [...ALL, b64("cid", S.clientSecret), b64("user", S.password)];

function assertClean(e: unknown): void {
  const err = e as Error;
  for (const text of [err.message, err.stack ?? "", JSON.stringify(err), String(err)]) {
    for (const s of ALL_FORMS) expect(text, `leaked ${s}`).not.toContain(s);
  }
}

const WS = "https://dbc-x.cloud.databricks.com";
const AZ = "https://adb-1.7.azuredatabricks.net";
const secretEnv = {
  DATABRICKS_TOKEN: S.token,
  DATABRICKS_USERNAME: "user",
  DATABRICKS_PASSWORD: S.password,
  DATABRICKS_CLIENT_ID: "cid",
  DATABRICKS_CLIENT_SECRET: S.clientSecret,
  ARM_CLIENT_ID: "arm",
  ARM_CLIENT_SECRET: S.armSecret,
  ARM_TENANT_ID: "tnt",
  AZURE_CLIENT_SECRET: S.azureSecret,
};

/** A token endpoint that echoes everything it got into its error body: the worst case for redaction. */
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.writeHead(req.url?.includes("well-known") ? 200 : 401, { "content-type": "application/json" });
      if (req.url?.includes("well-known")) return res.end(JSON.stringify({ token_endpoint: `${base}/oidc/v1/token` }));
      res.end(
        JSON.stringify({
          error: "invalid_client",
          error_description: `got ${req.headers.authorization} and ${body} and ${S.clientSecret}`,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe("no secret in any error", () => {
  const syncCases: [string, ConnectionSettings, Record<string, string>, string][] = [
    ["ambiguous (env)", {}, { DATABRICKS_HOST: WS, ...secretEnv }, "AUTH_AMBIGUOUS"],
    ["ambiguous (explicit)", { host: WS, token: S.token, clientId: "c", clientSecret: S.clientSecret }, {}, "AUTH_AMBIGUOUS"],
    ["no host", { token: S.token }, { DATABRICKS_PASSWORD: S.password }, "AUTH_NOT_CONFIGURED"],
    ["incomplete oauth", { host: WS, clientSecret: S.clientSecret }, {}, "AUTH_NOT_CONFIGURED"],
    ["forced type missing inputs", { host: WS, authType: "basic", password: S.password }, { DATABRICKS_TOKEN: S.token }, "AUTH_INVALID_CONFIG"],
    ["unknown auth type", { host: WS, authType: "nope", token: S.token }, secretEnv, "AUTH_UNKNOWN_AUTH_TYPE"],
    ["unsupported auth type", { host: WS, authType: "github-oidc", token: S.token }, secretEnv, "AUTH_UNKNOWN_AUTH_TYPE"],
    ["account without id", { host: "https://accounts.cloud.databricks.com", token: S.token }, secretEnv, "AUTH_INVALID_CONFIG"],
    ["bad level", { host: WS, token: S.token, level: "x" as unknown as "account" }, {}, "AUTH_INVALID_CONFIG"],
    ["bad ARM_USE_MSI", { host: AZ }, { ...secretEnv, ARM_USE_MSI: "maybe" }, "AUTH_INVALID_CONFIG"],
    ["bad host", { host: "ftp://nope", token: S.token }, {}, "AUTH_INVALID_CONFIG"],
    ["missing profile", { profile: "missing" }, { DATABRICKS_TOKEN: S.token }, "AUTH_PROFILE_NOT_FOUND"],
    ["azure attrs on a non-Azure host", { host: WS, azureClientSecret: S.armSecret, azureClientId: "a", azureTenantId: "t" }, {}, "AUTH_NOT_CONFIGURED"],
  ];
  it.each(syncCases)("%s", (_name, settings, env, code) => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", `[DEFAULT]\nhost = ${WS}\ntoken = ${S.profileToken}\n`);
    const e = thrown(() => resolveConnection(settings, envWith(home, env), { homeDir: home }));
    expect(e.code).toBe(code);
    assertClean(e);
  });

  it("ambiguous profile", () => {
    const home = tempHome();
    writeFile(home, ".databrickscfg", `[DEFAULT]\nhost = ${WS}\ntoken = ${S.profileToken}\nclient_id = c\nclient_secret = ${S.clientSecret}\n`);
    const e = thrown(() => resolveConnection({}, envWith(home), { homeDir: home }));
    expect(e.code).toBe("AUTH_AMBIGUOUS");
    assertClean(e);
  });

  it("unreadable config file", () => {
    const home = tempHome();
    const e = thrown(() => resolveConnection({ configFile: home, profile: "DEFAULT" }, envWith(home, { DATABRICKS_TOKEN: S.token }), { homeDir: home }));
    expect(e.code).toBe("AUTH_CONFIG_FILE");
    assertClean(e);
  });

  it("token endpoint that echoes the secret and the Basic header", async () => {
    const auth = new OAuthM2MAuth({ host: base, level: "workspace", clientId: "cid", clientSecret: S.clientSecret, source: "t" });
    const e = await rejected(auth.headers());
    expect(e.code).toBe("AUTH_TOKEN_ENDPOINT");
    expect(e.message).toContain("invalid_client");
    assertClean(e);
  });

  it("unreachable token endpoint; account level", async () => {
    const auth = new OAuthM2MAuth({
      host: "http://127.0.0.1:1",
      level: "account",
      accountId: "a",
      clientId: "cid",
      clientSecret: S.clientSecret,
      source: "t",
    });
    const e = await rejected(auth.headers());
    expect(e.code).toBe("AUTH_TOKEN_ENDPOINT");
    assertClean(e);
  });

  it("Entra failure whose text contains the secret", async () => {
    const auth = new AzureEntraAuth({
      request: { kind: "azure-client-secret", tenantId: "t", clientId: "c", clientSecret: S.armSecret },
      source: "t",
      credentialFactory: () => ({ getToken: () => Promise.reject(new Error(`bad secret ${S.armSecret}`)) }),
    });
    const e = await rejected(auth.headers());
    expect(e.code).toBe("AUTH_AZURE");
    assertClean(e);
  });
});

describe("no secret in sources or in a printed connection", () => {
  it.each([
    ["pat", { host: WS, token: S.token }, {}],
    ["basic", { host: WS, username: "user", password: S.password }, {}],
    ["oauth-m2m", { host: WS }, { DATABRICKS_CLIENT_ID: "cid", DATABRICKS_CLIENT_SECRET: S.clientSecret }],
    ["azure-client-secret", { host: AZ }, { ARM_CLIENT_ID: "a", ARM_CLIENT_SECRET: S.armSecret, ARM_TENANT_ID: "t" }],
    ["azure env", { host: AZ }, { AZURE_CLIENT_ID: "a", AZURE_CLIENT_SECRET: S.azureSecret, AZURE_TENANT_ID: "t" }],
  ] as [string, ConnectionSettings, Record<string, string>][])("%s", async (_n, settings, env) => {
    const c = resolveConnection(settings, envWith(tempHome(), env), {
      azureCredentialFactory: () => ({
        getToken: () => Promise.resolve({ token: S.accessToken, expiresOnTimestamp: Date.now() + 3_600_000 }),
      }),
    });
    await c.auth.headers().catch(() => undefined); // fill caches where it can (the M2M one fails: no server)
    for (const text of [c.auth.source, JSON.stringify(c), util.inspect(c, { depth: Infinity, showHidden: true })]) {
      for (const s of ALL_FORMS) expect(text).not.toContain(s);
    }
  });

  it("netrc", () => {
    const home = tempHome();
    writeFile(home, ".netrc", `machine dbc-x.cloud.databricks.com login token password ${S.netrc}\n`);
    const c = resolveConnection({ host: WS }, envWith(home), { homeDir: home });
    for (const text of [c.auth.source, JSON.stringify(c), util.inspect(c, { depth: Infinity, showHidden: true })]) {
      expect(text).not.toContain(S.netrc);
    }
  });
});
