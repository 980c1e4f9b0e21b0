/**
 * Credentials through the real engine: every documented source, OAuth M2M with a token expiring mid-run, a
 * rotated token on destroy, and two workspaces plus an account in one program. After every test, no secret
 * (PAT, OAuth client secret, issued access token) may appear in the CLI's output, in `pulumi stack export`, or
 * anywhere in the state backend's files.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listAll, REPO, runStack, startEmulator, workDir, type RunningEmulator, type StackOptions, type StackRun } from "./harness";

const PROGRAM = path.join(REPO, "dist", "test", "programs", "credentials.js");

interface OAuthInfo {
  clientId: string;
  clientSecret: string;
}
type Emulator = RunningEmulator & { oauth?: OAuthInfo };

let emu: Emulator;
/** Everything secret a test saw; checked against outputs and state after each test. */
let secrets: Set<string>;
/** Every output of every CLI run of the current test. */
let outputs: string[];
let dirs: string[];

/** OAuth tokens are accepted for 2 s but announced for an hour: the client's cache goes stale under it. */
const TTL_SECONDS = 2;

beforeAll(async () => {
  emu = (await startEmulator(["--oauth", "--oauth-token-ttl", String(TTL_SECONDS), "--oauth-expires-in", "3600"])) as Emulator;
});

const homes: string[] = [];
afterAll(async () => {
  await emu?.stop();
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

function begin(name: string): StackOptions {
  secrets = new Set([emu.tokens.admin, emu.tokens.user, emu.tokens.accountAdmin, emu.oauth!.clientSecret]);
  outputs = [];
  const dir = workDir(`cred-${name}`);
  dirs = [dir];
  return { workDir: dir, program: PROGRAM };
}

async function run(command: string, opts: StackOptions, spec?: unknown): Promise<StackRun> {
  const r = await runStack(command, spec === undefined ? opts : { ...opts, config: { ...opts.config, spec: JSON.stringify(spec) } });
  outputs.push(r.stdout, r.stderr);
  return r;
}

function ok(r: StackRun): StackRun {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

async function oauthStats(e: Emulator = emu): Promise<{ issued: { workspace: number; account: number }; rejectedExpired: number; tokens: string[] }> {
  return (await (await fetch(`${e.url}/__emulator/oauth`)).json()) as {
    issued: { workspace: number; account: number };
    rejectedExpired: number;
    tokens: string[];
  };
}

async function userNames(e: Emulator, base?: string): Promise<string[]> {
  return (await listAll<{ userName: string }>(e, "Users?attributes=userName", base)).map((u) => u.userName);
}

/**
 * A temporary HOME holding the given files, as environment for runStack. The pulumi build cache normally lives
 * under $HOME (scripts/build-pulumi.sh), so it is pinned to the real one: a fresh HOME would rebuild the CLI.
 */
function tempHome(files: Record<string, string>): { HOME: string; PULUMI_SCIM_CACHE: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-home-"));
  homes.push(home);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(home, name), text, { mode: 0o600 });
  return { HOME: home, PULUMI_SCIM_CACHE: process.env.PULUMI_SCIM_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-databricks-scim") };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** The leak check: CLI output of every run, `pulumi stack export`, and every file of the state backend. */
afterEach(async (ctx) => {
  if (!dirs?.length || ctx.task.result?.state === "fail") return;
  // Issued access tokens are secrets too.
  for (const t of (await oauthStats()).tokens) secrets.add(t);
  for (const dir of dirs) {
    const exported = await runStack("export", { workDir: dir, program: PROGRAM });
    expect(exported.code, exported.stderr).toBe(0);
    outputs.push(exported.stdout, exported.stderr, JSON.stringify(exported.result));
    for (const f of filesUnder(path.join(dir, ".state"))) outputs.push(fs.readFileSync(f, "utf8"));
  }
  const all = outputs.join("\n");
  for (const s of secrets) expect(all.includes(s), `a secret (${s.slice(0, 6)}…) leaked`).toBe(false);
  dirs = [];
});

const oneUser = (name: string, extra: Record<string, unknown> = {}) => ({ users: { [name]: { userName: `${name}@example.com`, ...extra } } });

describe("credential sources through the real engine", () => {
  it("stack config: databricks-scim:host and a secret databricks-scim:token", async () => {
    const opts = { ...begin("config"), config: { "databricks-scim:host": emu.url }, secrets: { "databricks-scim:token": emu.tokens.admin } };
    ok(await run("up", opts, oneUser("cfg-user")));
    expect(await userNames(emu)).toContain("cfg-user@example.com");
    ok(await run("destroy", opts));
    expect(await userNames(emu)).not.toContain("cfg-user@example.com");
  });

  it("environment: DATABRICKS_HOST and DATABRICKS_TOKEN", async () => {
    const opts = { ...begin("env"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
    ok(await run("up", opts, oneUser("env-user")));
    expect(await userNames(emu)).toContain("env-user@example.com");
    ok(await run("destroy", opts));
  });

  it("environment: DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M against the emulator)", async () => {
    // The emulator's main URL is a unified host: its /.well-known/databricks-config names the account's OIDC root,
    // where the SDKs (and this package) then get the token, for workspace calls too.
    const before = (await oauthStats()).issued.account;
    const env = { DATABRICKS_HOST: emu.url, DATABRICKS_CLIENT_ID: emu.oauth!.clientId, DATABRICKS_CLIENT_SECRET: emu.oauth!.clientSecret };
    const opts = { ...begin("m2m"), env };
    ok(await run("up", opts, oneUser("m2m-user")));
    expect(await userNames(emu)).toContain("m2m-user@example.com");
    expect((await oauthStats()).issued.account).toBeGreaterThan(before);
    ok(await run("destroy", opts));
    expect(await userNames(emu)).not.toContain("m2m-user@example.com");
  });

  it("a ~/.databrickscfg profile named by DATABRICKS_CONFIG_PROFILE, in a temporary HOME", async () => {
    const home = tempHome({
      ".databrickscfg": `[DEFAULT]\nhost = https://wrong.example.com\ntoken = dapi-not-this-one\n\n[emu]\nhost = ${emu.url}\ntoken = ${emu.tokens.admin}\n`,
    });
    const opts = { ...begin("profile"), env: { ...home, DATABRICKS_CONFIG_PROFILE: "emu" } };
    ok(await run("up", opts, oneUser("profile-user")));
    expect(await userNames(emu)).toContain("profile-user@example.com");
    ok(await run("destroy", opts));
  });

  it("~/.netrc in a temporary HOME (host from DATABRICKS_HOST)", async () => {
    const home = tempHome({ ".netrc": `machine 127.0.0.1\nlogin token\npassword ${emu.tokens.admin}\n` });
    const opts = { ...begin("netrc"), env: { ...home, DATABRICKS_HOST: emu.url } };
    ok(await run("up", opts, oneUser("netrc-user")));
    expect(await userNames(emu)).toContain("netrc-user@example.com");
    ok(await run("destroy", opts));
  });

  it("an OAuth token that expires mid-run is refreshed once and the call retried", async () => {
    const env = { DATABRICKS_HOST: emu.url, DATABRICKS_CLIENT_ID: emu.oauth!.clientId, DATABRICKS_CLIENT_SECRET: emu.oauth!.clientSecret };
    const opts = { ...begin("expiry"), env };
    const before = await oauthStats();
    // early is created at once (first token); late is registered after the token's 2 s on the server.
    const spec = { users: { early: { userName: "early@example.com" }, late: { userName: "late@example.com", delayMs: (TTL_SECONDS + 1) * 1000 } } };
    ok(await run("up", opts, spec));
    const after = await oauthStats();
    expect(await userNames(emu)).toEqual(expect.arrayContaining(["early@example.com", "late@example.com"]));
    // The provider believed its token good for an hour: the server's 403 "JWT has expired" made it fetch a new one.
    expect(after.rejectedExpired - before.rejectedExpired).toBeGreaterThanOrEqual(1);
    // From the account's OIDC root, which the unified host's metadata names (see the M2M case above).
    expect(after.issued.account - before.issued.account).toBe(2);
    ok(await run("destroy", opts));
  });
});

describe("a rotated token on destroy, without a prior up", () => {
  async function rotate(): Promise<string> {
    const r = (await (await fetch(`${emu.url}/__emulator/tokens/rotate`, { method: "POST" })).json()) as { admin: string };
    emu.tokens.admin = r.admin;
    secrets.add(r.admin);
    return r.admin;
  }

  it("environment: destroy reads DATABRICKS_TOKEN afresh; the old one fails naming its source", async () => {
    const opts = { ...begin("rotate-env"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
    ok(await run("up", opts, oneUser("rot-env")));
    const fresh = await rotate();
    const stale = await run("destroy", opts);
    expect(stale.code).not.toBe(0);
    expect(stale.stdout + stale.stderr).toContain(`DATABRICKS_TOKEN from the environment (pat) was rejected by ${emu.url}: 403 Invalid access token.`);
    ok(await run("destroy", { ...opts, env: { ...opts.env, DATABRICKS_TOKEN: fresh } }));
    expect(await userNames(emu)).not.toContain("rot-env@example.com");
  });

  it("stack config: plain destroy uses the token saved in state and says so; destroy --run-program works", async () => {
    const base = { ...begin("rotate-config"), config: { "databricks-scim:host": emu.url } };
    ok(await run("up", { ...base, secrets: { "databricks-scim:token": emu.tokens.admin } }, oneUser("rot-cfg")));
    const fresh = await rotate();
    const withNew = { ...base, secrets: { "databricks-scim:token": fresh } };
    const stale = await run("destroy", withNew);
    expect(stale.code).not.toBe(0);
    const text = stale.stdout + stale.stderr;
    expect(text).toContain(`databricks-scim:token from the stack configuration (pat) was rejected by ${emu.url}: 403 Invalid access token.`);
    expect(text).toContain("pulumi destroy --run-program");
    ok(await run("destroy", { ...withNew, flags: ["--run-program"] }, oneUser("rot-cfg")));
    expect(await userNames(emu)).not.toContain("rot-cfg@example.com");
  });
});

describe("connections: two workspaces and an account in one program", () => {
  let emu2: RunningEmulator;
  beforeAll(async () => {
    emu2 = await startEmulator();
  });
  afterAll(async () => {
    await emu2?.stop();
  });

  it("each resource uses its connection's credentials, and none reaches state", async () => {
    const opts = begin("multi");
    for (const t of Object.values(emu2.tokens)) secrets.add(t);
    const home = tempHome({ ".databrickscfg": `[ws2]\nhost = ${emu2.url}\ntoken = ${emu2.tokens.admin}\n` });
    const spec = {
      connections: {
        ws1: { host: emu.url, clientIdEnvVar: "WS1_CLIENT_ID", clientSecretEnvVar: "WS1_CLIENT_SECRET" },
        ws2: { profile: "ws2" },
        acct: { host: emu2.url, level: "account", accountId: emu2.accountId, tokenEnvVar: "ACCT_TOKEN" },
      },
      users: {
        a: { userName: "multi-a@example.com", connection: "ws1" },
        b: { userName: "multi-b@example.com", connection: "ws2" },
        c: { userName: "multi-c@example.com", connection: "acct" },
      },
    };
    const env = {
      ...home,
      WS1_CLIENT_ID: emu.oauth!.clientId,
      WS1_CLIENT_SECRET: emu.oauth!.clientSecret,
      ACCT_TOKEN: emu2.tokens.accountAdmin,
      // Ambient credentials for another workspace: a connection with its own source must ignore them.
      DATABRICKS_HOST: emu.url,
      DATABRICKS_TOKEN: emu.tokens.user,
    };
    ok(await run("up", { ...opts, env }, spec));
    expect(await userNames(emu)).toContain("multi-a@example.com");
    expect(await userNames(emu2)).toContain("multi-b@example.com");
    expect(await userNames(emu2, emu2.accountUrl)).toContain("multi-c@example.com");
    expect(await userNames(emu)).not.toContain("multi-b@example.com");

    // State names the sources, never their values.
    const exported = JSON.stringify((await runStack("export", opts)).result);
    expect(exported).toContain('"tokenEnvVar":"ACCT_TOKEN"');
    expect(exported).toContain('"profile":"ws2"');
    ok(await run("preview", { ...opts, env, flags: ["--expect-no-changes"] }, spec));
    ok(await run("destroy", { ...opts, env }));
    expect(await userNames(emu2, emu2.accountUrl)).not.toContain("multi-c@example.com");
  });

  it("a connection carrying a secret is refused before anything reaches the engine's state", async () => {
    const opts = begin("refuse");
    // A made-up value: the test itself must pass it through plain config, which is stored as it is.
    const value = "dapi-refused-by-the-connection";
    const r = await run("up", opts, { connections: { bad: { host: emu.url, token: value } }, users: {} });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("a connection never carries a secret");
    expect(r.stdout + r.stderr).not.toContain(value);
  });
});
