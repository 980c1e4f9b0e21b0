/**
 * Host metadata through the real engine (issue 24 item 2): the emulator as its own process with two workspaces,
 * whose main URL is a unified host serving /.well-known/databricks-config; the `pulumi` CLI with no account id
 * and no workspace id anywhere. The provider reads the account id (account level) and the workspace id
 * (workspace level, sent as X-Databricks-Workspace-Id) from the host's metadata, as the Databricks SDKs do; ids
 * the user set win over it (and are used, right or wrong), and the one check stored is what later runs use.
 * OAuth M2M discovers its token endpoint under the metadata's `oidc_endpoint` (the account's, on a unified host).
 * databricks-scim-import, its own process, learns the account id the same way.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../../scripts/stackProcess";
import type { IdentitySpec } from "../programs/identities";
import {
  expectOk,
  listAll,
  output,
  REPO,
  requestLog,
  resetStats,
  runStack,
  specOptions,
  startEmulator,
  workDir,
  type RunningEmulator,
  type StackOptions,
} from "./harness";

const spec: IdentitySpec = { users: { u: { userName: "host-metadata@example.com", displayName: "Host Metadata" } } };
const OTHER_ACCOUNT = "0f0e0d0c-0b0a-4909-8807-060504030201";

let emu: RunningEmulator;
let unset: StackOptions;
/** The second workspace, which only X-Databricks-Workspace-Id reaches through the main URL. */
let second: { id: string; workspaceUrl: string };

const accountUsers = async () => (await listAll<{ userName: string }>(emu, "Users?attributes=userName", emu.accountUrl)).map((u) => u.userName);

beforeAll(async () => {
  emu = await startEmulator(["--workspaces", "2", "--oauth"]);
  second = (emu as unknown as { workspaces: { id: string; workspaceUrl: string }[] }).workspaces[1]!;
  unset = specOptions(
    {
      workDir: workDir("host-metadata"),
      stack: "unset",
      env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.accountAdmin },
      config: { "databricks-scim:level": "account" },
    },
    spec,
  );
});

afterAll(async () => {
  await emu?.stop();
});

describe("an account-level stack on a unified host without an account id", () => {
  it("up resolves the account id from the host's metadata and creates the user in that account", async () => {
    const run = await runStack("up", unset);
    expectOk(run);
    expect(await accountUsers()).toContain("host-metadata@example.com");
    const preview = await runStack("preview", specOptions(unset, spec, { flags: ["--expect-no-changes"] }));
    expectOk(preview);
  });

  it("an account id the user set wins: it is the one called, though the metadata names another", async () => {
    const explicit = specOptions(
      { ...unset, stack: "explicit", config: { "databricks-scim:level": "account", "databricks-scim:accountId": OTHER_ACCOUNT } },
      { users: { u: { userName: "explicit-account@example.com" } } },
    );
    const run = await runStack("up", explicit);
    expect(run.code).not.toBe(0);
    expect(output(run)).toContain(`Caller is not authorized to access account ${OTHER_ACCOUNT}`);
    expect(await accountUsers()).not.toContain("explicit-account@example.com");
  });

  it("destroy removes the user again", async () => {
    expectOk(await runStack("destroy", unset));
    expect(await accountUsers()).not.toContain("host-metadata@example.com");
  });
});

describe("a workspace-level stack on a unified host without a workspace id", () => {
  const userNames = async (base: string) => (await listAll<{ userName: string }>(emu, "Users?attributes=userName", base)).map((u) => u.userName);
  const ws = (stack: string, userName: string, env: Record<string, string> = {}): StackOptions =>
    specOptions(
      { workDir: workDir(`host-metadata-${stack}`), stack, env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin, ...env } },
      { users: { u: { userName, displayName: "Unified Workspace" } } },
    );
  let learned: StackOptions;
  let chosen: StackOptions;
  beforeAll(() => {
    learned = ws("ws-learned", "ws-learned@example.com");
    chosen = ws("ws-chosen", "ws-chosen@example.com", { DATABRICKS_WORKSPACE_ID: "" });
  });

  it("up learns the workspace id from the host's metadata and sends it on every workspace call", async () => {
    await resetStats(emu);
    expectOk(await runStack("up", learned));
    const calls = (await requestLog(emu)).filter((r) => r.level === "workspace");
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((r) => r.workspaceIdHeader !== emu.workspaceId)).toEqual([]);
    expect(await userNames(emu.workspaceUrl)).toContain("ws-learned@example.com");
    expectOk(await runStack("preview", { ...learned, flags: ["--expect-no-changes"] }));
  });

  it("a workspace id the user set wins: DATABRICKS_WORKSPACE_ID routes the calls to the second workspace", async () => {
    const run = await runStack("up", { ...chosen, env: { ...chosen.env, DATABRICKS_WORKSPACE_ID: second.id } });
    expectOk(run);
    expect(await userNames(second.workspaceUrl)).toContain("ws-chosen@example.com");
    expect(await userNames(emu.workspaceUrl)).not.toContain("ws-chosen@example.com");
  });

  it("destroy uses the workspace check stored, without DATABRICKS_WORKSPACE_ID", async () => {
    await resetStats(emu);
    expectOk(await runStack("destroy", chosen));
    expect(await userNames(second.workspaceUrl)).not.toContain("ws-chosen@example.com");
    const deletes = (await requestLog(emu)).filter((r) => r.method === "DELETE");
    expect(deletes.map((r) => r.workspaceIdHeader)).toEqual([second.id]);
    expectOk(await runStack("destroy", learned));
    expect(await userNames(emu.workspaceUrl)).not.toContain("ws-learned@example.com");
  });
});

describe("OAuth M2M on a unified host", () => {
  it("the token comes from the OIDC root the host's metadata names (the account's), not the workspace's", async () => {
    const oauthCounts = async () => ((await (await fetch(`${emu.url}/__emulator/oauth`)).json()) as { issued: { workspace: number; account: number } }).issued;
    const client = (emu as unknown as { oauth: { clientId: string; clientSecret: string } }).oauth;
    const before = await oauthCounts();
    const opts = specOptions(
      {
        workDir: workDir("host-metadata-oauth"),
        stack: "oauth",
        env: { DATABRICKS_HOST: emu.url, DATABRICKS_CLIENT_ID: client.clientId, DATABRICKS_CLIENT_SECRET: client.clientSecret },
      },
      { users: { u: { userName: "oauth-unified@example.com" } } },
    );
    expectOk(await runStack("up", opts));
    const after = await oauthCounts();
    expect(after.account).toBeGreaterThan(before.account);
    expect(after.workspace).toBe(before.workspace);
    expectOk(await runStack("destroy", opts));
  });
});

describe("the cloud the host's metadata names (an AWS emulator on loopback, whose name says nothing)", () => {
  let aws: RunningEmulator;
  beforeAll(async () => {
    aws = await startEmulator(["--cloud", "aws"]);
  });
  afterAll(async () => {
    await aws?.stop();
  });

  it("a service principal with an applicationId is refused at preview, before any request, as Databricks on AWS would", async () => {
    const opts = specOptions(
      { workDir: workDir("host-metadata-aws"), stack: "aws", env: { DATABRICKS_HOST: aws.url, DATABRICKS_TOKEN: aws.tokens.admin } },
      { servicePrincipals: { ci: { applicationId: "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10", displayName: "ci" } } },
    );
    await resetStats(aws);
    const run = await runStack("preview", opts);
    expect(run.code).not.toBe(0);
    expect(output(run)).toContain(
      `Databricks generates the application id on ${aws.url} (AWS, as its /.well-known/databricks-config says) and does not accept one. Remove applicationId`,
    );
    expect(await requestLog(aws)).toEqual([]);
  });
});

describe("databricks-scim-import at account level without --account-id", () => {
  /** The importer as a user runs it (no --stack: no engine needed), with a clean environment. */
  function importer(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    const child = spawn(path.join(REPO, "node_modules", ".bin", "node"), [path.join(REPO, "dist", "provider", "import", "cli.js"), ...args], {
      env: { ...cleanEnv(), HOME: workDir("host-metadata-import-home"), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.once("exit", (code) => resolve({ code: code ?? 1, stdout, stderr })));
  }

  it("reads the account the host's metadata names", async () => {
    const out = path.join(workDir("host-metadata-import"), "identities.ts");
    const run = await importer(["--level", "account", "--out", out, "--quiet"], { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.accountAdmin });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^read \d+ users/);
    expect(fs.readFileSync(out, "utf8")).toContain(`${emu.url} (account ${emu.accountId})`);
  });

  it("a host whose metadata names no account: exit 2 and what to pass", async () => {
    // A host without metadata (as a proxy or an older deployment): 404 for everything.
    const bare = http.createServer((_req, res) => void res.writeHead(404).end());
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", () => r()));
    try {
      const host = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
      const out = path.join(workDir("host-metadata-import-bare"), "identities.ts");
      const run = await importer(["--level", "account", "--out", out], { DATABRICKS_HOST: host, DATABRICKS_TOKEN: emu.tokens.accountAdmin });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("databricks-scim-import: --account-id is required at account level: nothing names the account");
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      bare.closeAllConnections();
      await new Promise<void>((r) => bare.close(() => r()));
    }
  });
});
