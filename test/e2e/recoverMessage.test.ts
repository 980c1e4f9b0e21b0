/**
 * Issue 22 item 5, through the real `pulumi` CLI: an `up` interrupted after its POST, then, on a machine without
 * its files, the recovery step skipped. The recovering `up` meets the dead run's object with no record of making
 * it: the message says so, names the recovery command with the object's id, and gives `adopt` only for an object
 * no run of this stack made; following it converges. The state is made from a finished run's, so that it is
 * exactly what a kill after the POST leaves: the object on the server, a pending create (URN and inputs, no id)
 * in the state instead of the resource, and no create journal (a fresh runner).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, expectOk, listAll, output, runStack, specOptions, startEmulator, workDir, type RunningEmulator } from "./harness";

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu?.stop();
});

interface Deployment {
  resources: Record<string, unknown>[];
  pending_operations?: { type: string }[] | null;
}

const recover = (dir: string, args: string[]) =>
  spawnSync(path.join(REPO, "node_modules", ".bin", "node"), [path.join(REPO, "dist", "provider", "recoverCli.js"), ...args], { cwd: dir, encoding: "utf8" });

describe("an interrupted up, recovered on a fresh runner without the recovery step", () => {
  it("the message names `pulumi-databricks-scim-recover --take <id>`, not adopt, and following it converges", async () => {
    const dir = workDir("recover-message");
    const opts = specOptions(
      { workDir: dir, env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } },
      { groups: { g: { displayName: "recover-me" } } },
    );
    expectOk(await runStack("up", opts));
    const exported = await runStack("export", opts);
    expectOk(exported);
    const deployment = (exported.result as { deployment: Deployment }).deployment;
    const group = deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/scim:Group")!;
    const { id, outputs: _outputs, ...pending } = group;
    deployment.resources = deployment.resources.filter((r) => r !== group);
    deployment.pending_operations = [{ resource: pending, type: "creating" } as never];
    const stateFile = path.join(dir, "interrupted.json");
    fs.writeFileSync(stateFile, JSON.stringify(exported.result));
    expectOk(await runStack("import", { ...opts, flags: ["--state", stateFile] }));
    fs.rmSync(path.join(dir, ".pulumi-databricks-scim"), { recursive: true, force: true });

    const up = await runStack("up", opts);
    const text = output(up);
    console.log(`the up without the recovery step:\n${text.slice(text.lastIndexOf("Diagnostics:"))}`);
    expect(up.code).not.toBe(0);
    expect(text).toMatch(
      new RegExp(
        `displayName: a group 'recover-me' already exists in http://127\\.0\\.0\\.1:\\d+ \\(id ${String(id)}\\), and this machine has no ` +
          "record of this stack creating it\\. If a `pulumi up` of this stack was interrupted \\(Ctrl-C, a kill, a CI timeout\\) on a " +
          "machine whose files are gone, it is most likely that run's group: do not adopt it, recover it\\. In the project folder run " +
          `\`npx pulumi-databricks-scim-recover --take ${String(id)}\` \\(it notes this group as that run's\\), then \`pulumi up\` \\(it ` +
          "takes the group over\\), and `pulumi refresh --clear-pending-creates --yes` if `pulumi up` still warns of pending operations\\. " +
          '\\(README, "Interrupted runs"\\. On a new machine, `pulumi stack export \\| npx pulumi-databricks-scim-recover` before its first ' +
          "`pulumi up` does this for every create the interrupted run left pending\\.\\) If no run of this stack made it, set `adopt: true`",
      ),
    );
    // Why the message cannot send the user to `pulumi stack export` now: the engine (v3.259) dropped the pending
    // create when this resource's create failed, so the state no longer says the stack was creating it.
    const after = await runStack("export", opts);
    const pendingAfter = (after.result as { deployment: Deployment }).deployment.pending_operations ?? [];
    console.log(`pending operations in the state after the failed up: ${pendingAfter.length}`);
    fs.writeFileSync(stateFile, JSON.stringify(after.result));
    const fromState = recover(dir, [stateFile]);
    console.log(`pulumi-databricks-scim-recover on that state: ${fromState.stdout.trim()}`);

    // What the message says to do.
    const taken = recover(dir, ["--take", String(id)]);
    expect(taken.status, taken.stderr).toBe(0);
    expect(taken.stdout).toMatch(new RegExp(`noted: group 'recover-me' \\(id ${String(id)}\\) in http://127\\.0\\.0\\.1:\\d+ is the interrupted run's`));
    // An id no create here was refused on is not taken.
    const other = recover(dir, ["--take", "12345"]);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("no create in this folder was refused on id 12345");

    const recovered = await runStack("up", opts);
    expectOk(recovered);
    expect(output(recovered)).not.toContain("already exists");
    expectOk(await runStack("refresh", { ...opts, flags: ["--clear-pending-creates"] }));
    expectOk(await runStack("preview", { ...opts, flags: ["--expect-no-changes"] }));
    const groups = (await listAll<{ id: string; displayName: string }>(emu, "Groups?attributes=displayName")).filter((g) => g.displayName === "recover-me");
    expect(groups.map((g) => g.id)).toEqual([String(id)]);
    expectOk(await runStack("destroy", opts));
  });
});
