/**
 * The lowest and the highest @pulumi/pulumi the package's peer range admits, each checked for what the package
 * uses beyond the SDK's declared API (test/unit/harness/sdkContract.ts: Output.promise(), the proto stubs the
 * provider plugin serves, the dynamic-provider host). The lowest is the installed devDependency; the highest 3.x
 * is asked of the npm registry and installed into ~/.cache/pulumi-databricks-scim/pulumi-sdk-<version> (reused
 * when present). In e2e because it needs the network: an unreachable registry fails this test with a message
 * saying so, never skips it, so CI checks both ends every run.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { installedSdkDir, sdkContractProblems } from "../unit/harness/sdkContract";

const run = promisify(execFile);
const REPO = path.resolve(__dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const PEER_RANGE = pkg.peerDependencies["@pulumi/pulumi"];
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];

/** The versions the registry has in the peer range (npm view answers one string for one match, a list for several). */
async function versionsInRange(): Promise<string[]> {
  try {
    const { stdout } = await run("npm", ["view", `@pulumi/pulumi@${PEER_RANGE}`, "version", "--json"], { timeout: 60_000 });
    const v = JSON.parse(stdout) as string | string[];
    return Array.isArray(v) ? v : [v];
  } catch (e) {
    throw new Error(
      `could not ask the npm registry which @pulumi/pulumi versions ${PEER_RANGE} admits (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); ` +
        "this test needs the registry to check the highest SDK the peer range admits: fix the network or the npm registry setting, do not skip it",
      { cause: e },
    );
  }
}

function newest(versions: string[]): string {
  const key = (v: string) => v.split(/[.-]/).slice(0, 3).map(Number);
  return versions
    .filter((v) => !v.includes("-"))
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    })
    .at(-1)!;
}

/** The SDK folder of `version` in the cache, installed there first unless an earlier run did. */
async function cachedSdk(version: string): Promise<string> {
  const root = path.join(os.homedir(), ".cache/pulumi-databricks-scim", `pulumi-sdk-${version}`);
  const sdk = path.join(root, "node_modules/@pulumi/pulumi");
  if (fs.existsSync(path.join(root, ".complete"))) return sdk;
  // Installed beside, then renamed: a run killed half-way leaves no folder that looks complete.
  const tmp = `${root}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ name: "pulumi-sdk-cache", private: true }));
  try {
    await run("npm", ["install", `@pulumi/pulumi@${version}`, ...NPM_FLAGS], { cwd: tmp, timeout: 300_000 });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`npm install @pulumi/pulumi@${version} failed (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`, { cause: e });
  }
  fs.writeFileSync(path.join(tmp, ".complete"), version);
  fs.rmSync(root, { recursive: true, force: true });
  fs.renameSync(tmp, root);
  return sdk;
}

const versionOf = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;

describe(`@pulumi/pulumi at both ends of the peer range ${PEER_RANGE}`, () => {
  it("the installed SDK (the devDependency) is the lowest the range admits", async () => {
    const lowest = PEER_RANGE.replace(/^[\^~]/, "");
    expect(pkg.devDependencies["@pulumi/pulumi"]).toBe(lowest);
    expect(versionOf(installedSdkDir())).toBe(lowest);
    expect(await sdkContractProblems(installedSdkDir())).toEqual([]);
  });

  // The registry lookup and install are in the test, not a hook, so that an unreachable registry shows as this
  // test failing (a failed hook reports its tests as skipped).
  it("the highest 3.x the range admits still offers what the package uses beyond the SDK's declared API", async () => {
    const highest = newest(await versionsInRange());
    const highestDir = await cachedSdk(highest);
    expect(versionOf(highestDir)).toBe(highest);
    console.log(`@pulumi/pulumi ${highest} from ${highestDir}`);
    expect(await sdkContractProblems(highestDir)).toEqual([]);
  });
});
