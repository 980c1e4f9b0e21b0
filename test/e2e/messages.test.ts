/**
 * Messages that used to send the user the wrong way (issue 22, items 6-8 and 10), each as the user sees it
 * through the real `pulumi` CLI (item 5's is in recoverMessage.test.ts):
 *  - 6: a host without a scheme is taken as https:// (as the Databricks CLI and SDKs take it); against a server
 *    that serves plain http the error says so and gives the http:// URL to write;
 *  - 7: a failure on an input the program did not set is the resource's, not `property … value {<nil>}`;
 *  - 8: a group create that fails at its account-group look-up says so, and that no POST was sent;
 *  - 10: on Node.js 20 the version message alone, with no loader frames.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINIMUM_NODE, nodeAtLeast } from "../../provider/nodeVersion";
import type { AccessSpec } from "../programs/workspaceAccess";
import { REPO, output, requestLog, resetStats, runStack, specOptions, startEmulator, workDir, type RunningEmulator } from "./harness";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu?.stop();
});

/** The `error:` lines under Diagnostics (what the user reads last), for the log and the assertions. */
function diagnostics(text: string): string {
  const d = text.lastIndexOf("Diagnostics:");
  const block = d < 0 ? text : text.slice(d, text.indexOf("Resources:", d) < 0 ? undefined : text.indexOf("Resources:", d));
  return block
    .split("\n")
    .filter((l) => l.trim() !== "")
    .join("\n");
}

describe("issue 22 items 6 and 8: a host without a scheme, against a server that serves plain http", () => {
  it("is taken as https://; the error says the server speaks plain HTTP and gives the http:// URL; a group create says it sent no POST", async () => {
    const bare = emu.url.replace(/^http:\/\//, "");
    const opts = specOptions(
      { workDir: workDir("messages-bare-host"), env: { DATABRICKS_HOST: bare, DATABRICKS_TOKEN: emu.tokens.admin } },
      { users: { u: { userName: "bare-host@example.com" } }, groups: { g: { displayName: "bare-host-group" } } },
    );
    await resetStats(emu);
    const up = await runStack("up", opts);
    const text = diagnostics(output(up));
    console.log(`items 6 and 8, DATABRICKS_HOST=${bare}:\n${text}`);
    expect(up.code).not.toBe(0);
    const https = `https://${bare}`;
    const plainHttp =
      `cannot reach ${https} \\(from DATABRICKS_HOST\\): TLS failed: what answers on that port speaks plain HTTP, not TLS ` +
      "\\(ERR_SSL_WRONG_VERSION_NUMBER\\), 1 attempt in [\\d.]+ s\\. Nothing has answered at this address in this run, so it is not " +
      "retried further: A host without a scheme is taken as https://, as the Databricks CLI and SDKs take it\\. If this server " +
      `serves plain http \\(a local emulator or proxy\\), write the scheme: ${emu.url.replace(/\./g, "\\.")}\\.`;
    // The user's create: its POST is the request that failed.
    expect(text).toMatch(new RegExp(`${plainHttp}[^\\n]*\\(POST /api/2\\.0/preview/scim/v2/Users\\)`));
    // The group's create stops at its look-up through the account proxy: said so, with that GET, and no POST.
    expect(text).toMatch(
      new RegExp(
        `creating group 'bare-host-group' in ${https.replace(/\./g, "\\.")} stopped before its POST, at the look-up of account groups of ` +
          `that name that the POST needs \\(through the workspace's proxy of account SCIM\\); no group was created: ${plainHttp}[^\\n]*` +
          "\\(GET /api/2\\.0/account/scim/v2/Groups\\?",
      ),
    );
    expect(text).not.toContain("tls_validate_record_header");
    expect(await requestLog(emu)).toEqual([]);
  });
});

describe("issue 22 item 7: failures on inputs the program did not set are the resource's", () => {
  const program = `${REPO}/dist/test/programs/workspaceAccess.js`;
  const cases: { name: string; spec: () => AccessSpec; env?: () => Record<string, string>; says: RegExp }[] = [
    {
      name: "an assignment whose connection's token variable is not set",
      spec: () => ({
        connections: { acc: { host: emu.url, level: "account", accountId: emu.accountId, tokenEnvVar: "MESSAGES_ACCOUNT_TOKEN" } },
        assignments: { a: { principal: "1234567", connection: "acc", workspaceId: emu.workspaceId, permissions: ["USER"] } },
      }),
      says: /WorkspaceAssignment resource 'a' has a problem: connection\.tokenEnvVar: environment variable MESSAGES_ACCOUNT_TOKEN is not set \(or empty\) in the environment of `pulumi`/,
    },
    {
      name: "an assignment given a userName as principal",
      spec: () => ({ assignments: { a: { principal: "ann@example.com", workspaceId: emu.workspaceId, permissions: ["USER"] } } }),
      env: () => ({ DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.accountAdmin, DATABRICKS_ACCOUNT_ID: emu.accountId }),
      says: /WorkspaceAssignment resource 'a' has a problem: principal: 'ann@example.com' is not an account SCIM id/,
    },
  ];
  it.each(cases)("$name", async (c) => {
    const run = await runStack("preview", specOptions({ workDir: workDir("messages-unset"), program, env: c.env?.() ?? {} }, c.spec()));
    const text = diagnostics(output(run));
    console.log(`item 7, ${c.name}:\n${text}`);
    expect(run.code).not.toBe(0);
    expect(text).toMatch(c.says);
    expect(text).not.toContain("{<nil>}");
    expect(text).not.toMatch(/property (principal|connection)/);
  });
});

// The system Node.js (20 on the build machines) outside node_modules/.bin, whose `node` is 24.
const SYSTEM_NODE = "/usr/bin/node";
const systemVersion = fs.existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim() : "";
const systemIsOld = systemVersion !== "" && !nodeAtLeast(systemVersion);

describe("issue 22 item 10: the package on an unsupported Node.js, through pulumi", () => {
  it.skipIf(!systemIsOld)(`on ${SYSTEM_NODE} (${systemVersion || "absent"}): the version message alone, no loader frames`, () => {
    const dir = workDir("messages-node20");
    // The CLI and the program on the system Node.js, as a user whose first `node` on PATH is that one.
    const bin = spawnSync("bash", [path.join(REPO, "scripts", "build-pulumi.sh")], { encoding: "utf8" })
      .stdout.trim()
      .split("\n")
      .pop()!;
    const run = spawnSync(
      SYSTEM_NODE,
      [
        path.join(REPO, "dist", "scripts", "stack.js"),
        "preview",
        "--dir",
        dir,
        "--stack",
        "test",
        "--program",
        path.join(REPO, "dist", "test", "programs", "loadsPackage.js"),
      ],
      { cwd: dir, encoding: "utf8", timeout: 120_000, env: { ...process.env, PATH: [bin, "/usr/bin", "/bin"].join(path.delimiter) } },
    );
    const text = diagnostics(`${run.stdout}\n${run.stderr}`);
    console.log(`item 10, pulumi preview on Node.js ${systemVersion}:\n${text}`);
    expect(run.status).not.toBe(0);
    expect(text).toContain(
      `error: pulumi-databricks-scim needs Node.js >= ${MINIMUM_NODE} (its HTTP client, undici 8, does), but this process runs Node.js ${systemVersion}`,
    );
    expect(text).not.toMatch(/^\s+at /m);
    expect(text).not.toContain("nodeVersion");
    expect(text).not.toContain("Unhandled exception");
  });
});
