// The real CLI process with --graph: both emulators start from one command; the JSON line carries the Graph
// side (url, tenant, app, certificate path); a seed file and --graph-generate fill the directory.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TREE_SEED, type Json } from "./graph-helpers";

const ROOT = resolve(__dirname, "../..");
const CLI = join(ROOT, "dist/emulator/cli.js");
const running: ChildProcessWithoutNullStreams[] = [];

function start(args: string[]): Promise<Json> {
  const proc = spawn(process.execPath, [CLI, "--port", "0", ...args], { cwd: ROOT });
  running.push(proc);
  let out = "";
  let err = "";
  proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`CLI did not start: ${err}`)), 20_000);
    proc.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        res(JSON.parse(out.slice(0, nl)));
      }
    });
    proc.on("exit", (code) => rej(new Error(`CLI exited ${code}: ${err}`)));
  });
}

beforeAll(() => {
  const built = statSync(CLI).mtimeMs;
  const dir = join(ROOT, "emulator");
  const newest = Math.max(
    ...readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => statSync(join(dir, f)).mtimeMs),
  );
  if (newest > built) throw new Error("dist/emulator is older than emulator/*.ts: run `npm run build` first");
});
afterAll(() => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
});

describe("CLI --graph", () => {
  it("starts both emulators; the Graph side serves the seed file plus a generated group over https", async () => {
    const dir = mkdtempSync(join(tmpdir(), "graph-cli-"));
    const seedPath = join(dir, "seed.json");
    writeFileSync(seedPath, JSON.stringify(TREE_SEED));
    const info = await start(["--graph-seed", seedPath, "--graph-generate", "Big=1500"]);
    expect(info.workspaceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const g = info.graph;
    expect(g.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(g.graphUrl).toBe(`${g.url}/v1.0`);
    expect(g.permissions).toEqual(["GroupMember.Read.All", "User.Read.All", "Application.Read.All"]);
    const agent = new Agent({ connect: { ca: readFileSync(g.caPath, "utf8") } });
    try {
      const tok = await fetch(`${g.authorityHost}/${g.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: g.clientId,
          client_secret: g.clientSecret,
          scope: "https://graph.microsoft.com/.default",
        }).toString(),
        dispatcher: agent,
      });
      expect(tok.status).toBe(200);
      const token = ((await tok.json()) as Json).access_token as string;
      const get = async (path: string): Promise<Json> => {
        const r = await fetch(`${g.graphUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, dispatcher: agent });
        expect(r.status).toBe(200);
        return r.json();
      };
      const big = await get(`/groups?$filter=${encodeURIComponent("displayName eq 'Big'")}&$select=id`);
      const first = await get(`/groups/${big.value[0].id}/members?$top=999&$select=id`);
      expect(first.value).toHaveLength(999);
      expect(first["@odata.nextLink"]).toMatch(/\$skiptoken=/);
      const root = await get(`/groups/00000000-0000-0000-0000-0000000000a0/transitiveMembers?$select=displayName`);
      expect(root.value.length).toBe(11);
    } finally {
      await agent.close();
    }
  });

  it("a child process trusts the certificate through NODE_EXTRA_CA_CERTS: ClientSecretCredential and fetch, no TLS options", async () => {
    const info = await start(["--graph-generate", "Team=3"]);
    const g = info.graph;
    // What a Pulumi program started by the engine would do: plain @azure/identity + global fetch.
    const script = `
      const { ClientSecretCredential } = require("@azure/identity");
      (async () => {
        const cred = new ClientSecretCredential(process.env.T, process.env.C, process.env.S, { authorityHost: process.env.A, disableInstanceDiscovery: true });
        const { token } = await cred.getToken("https://graph.microsoft.com/.default");
        const h = { authorization: "Bearer " + token };
        const list = await (await fetch(process.env.G + "/groups?$filter=" + encodeURIComponent("displayName eq 'Team'") + "&$select=id", { headers: h })).json();
        const members = await (await fetch(process.env.G + "/groups/" + list.value[0].id + "/members?$select=userPrincipalName", { headers: h })).json();
        process.stdout.write(JSON.stringify(members.value.map((m) => m.userPrincipalName)));
      })().catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
    const out = await new Promise<string>((res, rej) =>
      execFile(
        process.execPath,
        ["-e", script],
        {
          cwd: ROOT,
          env: { ...process.env, NODE_EXTRA_CA_CERTS: g.caPath, T: g.tenantId, C: g.clientId, S: g.clientSecret, A: g.authorityHost, G: g.graphUrl },
        },
        (err, stdout, stderr) => (err ? rej(new Error(`${err.message}: ${stderr}`)) : res(stdout)),
      ),
    );
    expect(JSON.parse(out)).toEqual(["gen-1@example.com", "gen-2@example.com", "gen-3@example.com"]);
  });

  it("the start line says how Node, Python and curl trust the CA and what Microsoft's Graph client needs; each hint works", async () => {
    const info = await start(["--graph-generate", "Team=1"]);
    const g = info.graph;
    expect(info.tls).toBe("none: plain http, no certificate to trust; use url as DATABRICKS_HOST with its http://");
    expect(g.trust).toEqual({
      untrusted:
        "a client that does not trust caPath fails: @azure/identity (MSAL) with only endpoints_resolution_error, others with a self-signed certificate error",
      node:
        `NODE_EXTRA_CA_CERTS=${g.caPath} in the environment before node starts (the Graph client calls Node's fetch, which takes no CA option; ` +
        "in-process: tls.setDefaultCACertificates([...tls.getCACertificates('default'), ca]); @azure/identity alone: tlsOptions: { ca })",
      python: `REQUESTS_CA_BUNDLE=${g.caPath} (requests, msal, azure-identity) and SSL_CERT_FILE=${g.caPath} (ssl, httpx, aiohttp)`,
      curl: `curl --cacert ${g.caPath} ${g.authorityHost}/${g.tenantId}/v2.0/.well-known/openid-configuration`,
      graphClient:
        `new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: "${g.authorityHost}", disableInstanceDiscovery: true }), then ` +
        'Client.initWithMiddleware({ authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] }), ' +
        `baseUrl: "${g.url}", defaultVersion: "v1.0", customHosts: new Set(["127.0.0.1"]) })`,
    });
    const run = (file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> =>
      new Promise((res) =>
        execFile(file, args, { cwd: ROOT, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
          res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    // Untrusted, @azure/identity says only endpoints_resolution_error (why the start line has to say it).
    const untrustedEnv: Record<string, string> = { T: g.tenantId, C: g.clientId, S: g.clientSecret, A: g.authorityHost, NODE_EXTRA_CA_CERTS: "" };
    const getToken = `
      const { ClientSecretCredential } = require("@azure/identity");
      new ClientSecretCredential(process.env.T, process.env.C, process.env.S, { authorityHost: process.env.A, disableInstanceDiscovery: true })
        .getToken("https://graph.microsoft.com/.default")
        .then(() => process.stdout.write("token"), (e) => { process.stderr.write(String(e && e.message)); process.exit(1); });`;
    const untrusted = await run(process.execPath, ["-e", getToken], untrustedEnv);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/endpoints_resolution_error/);
    // The Node hint as written: the same script gets a token.
    const [nodeVar, nodeValue] = (g.trust.node as string).split(" ")[0]!.split("=") as [string, string];
    const trusted = await run(process.execPath, ["-e", getToken], { ...untrustedEnv, [nodeVar]: nodeValue });
    expect(trusted.stdout, trusted.stderr).toBe("token");
    // The curl hint, as written.
    const curlArgs = (g.trust.curl as string).split(" ").slice(1);
    const curl = await run("curl", ["-sS", "-f", ...curlArgs], {});
    expect(curl.code, curl.stderr).toBe(0);
    expect(JSON.parse(curl.stdout).token_endpoint).toBe(`${g.authorityHost}/${g.tenantId}/oauth2/v2.0/token`);
    // The Python hint's SSL_CERT_FILE, with the standard library (what ssl-based clients use).
    const sslCertFile = /SSL_CERT_FILE=(\S+)/.exec(g.trust.python as string)![1]!;
    const py = await run(
      "python3",
      [
        "-c",
        "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).status)",
        `${g.authorityHost}/${g.tenantId}/v2.0/.well-known/openid-configuration`,
      ],
      {
        SSL_CERT_FILE: sslCertFile,
      },
    );
    expect(py.stdout.trim(), py.stderr).toBe("200");
    const pyUntrusted = await run(
      "python3",
      ["-c", "import sys, urllib.request; urllib.request.urlopen(sys.argv[1])", `${g.authorityHost}/${g.tenantId}/v2.0/.well-known/openid-configuration`],
      {},
    );
    expect(pyUntrusted.stderr).toMatch(/CERTIFICATE_VERIFY_FAILED/);
  });

  it("Microsoft's Graph client set up as graph.trust.graphClient says reads the emulator; without customHosts it sends no token", async () => {
    const info = await start(["--graph-generate", "Team=2"]);
    const g = info.graph;
    const script = `
      const { ClientSecretCredential } = require("@azure/identity");
      const { Client } = require("@microsoft/microsoft-graph-client");
      const { TokenCredentialAuthenticationProvider } = require("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials");
      (async () => {
        const e = process.env;
        const credential = new ClientSecretCredential(e.T, e.C, e.S, { authorityHost: e.A, disableInstanceDiscovery: true });
        const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] });
        const out = {};
        for (const [name, customHosts] of [["with", new Set([e.H])], ["without", undefined]]) {
          const client = Client.initWithMiddleware({ authProvider, baseUrl: e.U, defaultVersion: "v1.0", ...(customHosts ? { customHosts } : {}) });
          try {
            const r = await client.api("/groups").filter("displayName eq 'Team'").select("displayName").get();
            out[name] = r.value.map((x) => x.displayName);
          } catch (err) {
            out[name] = err.statusCode + " " + err.message;
          }
        }
        process.stdout.write(JSON.stringify(out));
      })().catch((err) => { process.stderr.write(String(err)); process.exit(1); });`;
    const host = /customHosts: new Set\(\["([^"]+)"\]\)/.exec(g.trust.graphClient as string)![1]!;
    const out = await new Promise<string>((res, rej) =>
      execFile(
        process.execPath,
        ["-e", script],
        {
          cwd: ROOT,
          env: { ...process.env, NODE_EXTRA_CA_CERTS: g.caPath, T: g.tenantId, C: g.clientId, S: g.clientSecret, A: g.authorityHost, U: g.url, H: host },
        },
        (err, stdout, stderr) => (err ? rej(new Error(`${err.message}: ${stderr}`)) : res(stdout)),
      ),
    );
    expect(JSON.parse(out)).toEqual({ with: ["Team"], without: "401 Access token is empty." });
  });

  it("without --graph there is no Graph side; a bad --graph-generate exits 2 with the usage", async () => {
    const info = await start([]);
    expect(info).not.toHaveProperty("graph");
    await expect(start(["--graph-generate", "Big"])).rejects.toThrow(/NAME=COUNT/);
  });
});
