// The load-time check for an unsupported Node.js (provider/nodeVersion.ts, emulator/nodeVersion.ts), through real
// child processes: the build machines' system Node.js (20) loading the built package, and the project's Node.js 24.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { MINIMUM_NODE, nodeAtLeast } from "../../provider/nodeVersion";
import { nodeAtLeast as emulatorNodeAtLeast } from "../../emulator/nodeVersion";

const ROOT = resolve(__dirname, "../..");
const INDEX = join(ROOT, "dist/provider/index.js");
const CLI = join(ROOT, "dist/emulator/cli.js");
const NODE_24 = join(ROOT, "node_modules/.bin/node");

// npm scripts and npx put node_modules/.bin first on PATH; the system Node.js is the first `node` on the rest.
const systemPath = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((dir) => !dir.split(sep).includes("node_modules"))
  .join(delimiter);
const systemNode = (args: string[]) =>
  spawnSync("/usr/bin/env", ["node", ...args], { cwd: ROOT, env: { ...process.env, PATH: systemPath }, encoding: "utf8", timeout: 30_000 });
const systemVersion = systemNode(["-p", "process.versions.node"]).stdout?.trim() ?? "";
const systemIsOld = systemVersion !== "" && !nodeAtLeast(systemVersion);

function requireBuilt(file: string): void {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
}

describe("the minimum Node.js version", () => {
  it("compares versions numerically, part by part", () => {
    expect(MINIMUM_NODE).toBe("22.19.0");
    for (const check of [nodeAtLeast, emulatorNodeAtLeast]) {
      expect(check("20.20.2")).toBe(false);
      expect(check("22.18.9")).toBe(false);
      expect(check("22.9.0")).toBe(false);
      expect(check("22.19.0")).toBe(true);
      expect(check("22.100.0")).toBe(true);
      expect(check("23.0.0")).toBe(true);
      expect(check("24.21.0")).toBe(true);
    }
  });

  it("the system node is found", () => {
    expect(systemVersion, "no `node` on PATH outside node_modules/.bin").toMatch(/^\d+\.\d+\.\d+/);
  });

  it.skipIf(!systemIsOld)(
    `an old Node.js (the system one, ${systemVersion || "not found"}; skipped when it is already >= ${MINIMUM_NODE}) fails to load the package with a message naming both versions and the fix`,
    () => {
      requireBuilt(INDEX);
      const run = systemNode(["-e", `require(${JSON.stringify(INDEX)})`]);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`pulumi-databricks-scim needs Node.js >= ${MINIMUM_NODE}`);
      expect(run.stderr).toContain(`this process runs Node.js ${systemVersion}`);
      expect(run.stderr).toContain("nvm install 24");
      expect(run.stderr).toContain("node@24");
      // The check runs before undici loads: not the crash it replaces.
      expect(run.stderr).not.toContain("reading 'bind'");
      expect(run.stderr).not.toContain("undici/lib");
      // The message, not the module loader's frames under it (issue 22 item 10).
      expect(run.stderr).not.toMatch(/^\s+at /m);
    },
  );

  it.skipIf(!systemIsOld)(`the emulator CLI on the system Node.js (${systemVersion || "not found"}) fails at start with the same kind of message`, () => {
    requireBuilt(CLI);
    const run = systemNode([CLI, "--port", "0"]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`databricks-scim-emulator needs Node.js >= ${MINIMUM_NODE}, but this process runs Node.js ${systemVersion}`);
    expect(run.stderr).toContain("nvm install 24");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  // Every bin of the package but the emulator's (above) loads the package's check first, as provider/index.ts does.
  for (const bin of ["provider/import/cli.js", "provider/recoverCli.js", "provider/plugin/main.js", "provider/plugin/toPluginCli.js"]) {
    it.skipIf(!systemIsOld)(`the ${bin} bin on the system Node.js (${systemVersion || "not found"}) fails at start with the message`, () => {
      const file = join(ROOT, "dist", bin);
      requireBuilt(file);
      const run = systemNode([file, "--help"]);
      expect(run.status).not.toBe(0);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(`pulumi-databricks-scim needs Node.js >= ${MINIMUM_NODE}`);
      expect(run.stderr).not.toContain("reading 'bind'");
      expect(run.stderr).not.toMatch(/^\s+at /m);
    });
  }

  it("Node.js 24 (node_modules/.bin/node) loads the package", () => {
    requireBuilt(INDEX);
    const run = spawnSync(NODE_24, ["-e", `const m = require(${JSON.stringify(INDEX)}); console.log(process.versions.node, typeof m.ScimUser)`], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^24\.\d+\.\d+ function$/);
  });
});
