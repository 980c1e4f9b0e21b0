// The real-client suite in `npm test` (issue 24 item 4): Databricks' official Python SDK, pinned and installed
// from PyPI into the venv scripts/python-venv.sh keeps (built once, then reused), drives the built emulator as
// a process (test/sdk/python, pytest). Any pytest failure, any Python warning and any warning the SDK logs fails
// this test, which then shows pytest's report.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/repoRoot";

const REPO = repoRoot();
const VENV_BUDGET_MS = 300_000;
const PYTEST_BUDGET_MS = 180_000;

interface Run {
  code: number | null;
  output: string;
  stdout: string;
}

/** Runs a command in its own process group, so that on timeout the emulators pytest started die with it. */
function run(command: string, args: string[], budgetMs: number, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} took more than ${budgetMs / 1000} s:\n${output}`));
    }, budgetMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, stdout });
    });
  });
}

describe("Databricks Python SDK against the emulator", () => {
  it("passes every case of test/sdk/python with no SDK warning", async () => {
    const cli = path.join(REPO, "dist", "emulator", "cli.js");
    if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does)`);

    const venv = await run("bash", [path.join(REPO, "scripts", "python-venv.sh")], VENV_BUDGET_MS);
    if (venv.code !== 0) throw new Error(`scripts/python-venv.sh failed (exit ${venv.code}):\n${venv.output}`);
    const python = path.join(venv.stdout.trim().split("\n").pop() ?? "", "bin", "python");

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // The emulator runs on this Node (>= 22.19, as the emulator requires), not whatever `node` PATH has.
      PULUMI_SCIM_NODE: process.execPath,
      // No __pycache__ in the work tree.
      PYTHONDONTWRITEBYTECODE: "1",
    };
    const args = ["-m", "pytest", "-c", "test/sdk/python/pytest.ini", "test/sdk/python"];
    const pytest = await run(python, args, PYTEST_BUDGET_MS, env);
    if (pytest.code !== 0) throw new Error(`pytest failed (exit ${pytest.code}):\n${pytest.output}`);
    const summary = /=+ (\d+ passed[^=]*) in [\d.]+s/.exec(pytest.output);
    expect(summary, pytest.output).not.toBeNull();
    // Nothing skipped: every case ran (xfail only if a case is marked so, naming its issue).
    expect(summary?.[1], pytest.output).not.toMatch(/skipped|deselected/);
  });
});
