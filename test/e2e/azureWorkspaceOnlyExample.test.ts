/**
 * The SCIM half of examples/azure-workspace-only through the real engine, against an emulator that behaves as an
 * Azure workspace (--cloud azure: service principals carry an Entra applicationId). The Azure half is covered
 * with mocks in test/unit/examples/azureWorkspace.test.ts.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAll, REPO, runStack, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

const APP_ID = "9a8b7c6d-0000-4000-8000-000000000001";
let emu: RunningEmulator;
let opts: StackOptions;

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "azure"]);
  opts = {
    workDir: workDir("azure-example"),
    program: path.join(REPO, "dist", "test", "programs", "azureTeam.js"),
    config: { host: emu.url, ciApplicationId: APP_ID },
    env: { WORKSPACE_TOKEN: emu.tokens.admin },
  };
});
afterAll(async () => {
  await emu?.stop();
});

interface Group {
  displayName: string;
  members?: { value: string }[];
}

describe("examples/azure-workspace-only, SCIM half, for real", () => {
  it("creates the team, is idempotent, and destroys it", async () => {
    const up = await runStack("up", opts);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const groups = await listAll<Group & { id: string }>(emu, "Groups?attributes=displayName,members");
    const engineers = groups.find((g) => g.displayName === "data-engineers");
    expect(engineers?.members?.length).toBe(2);
    const sps = await listAll<{ applicationId: string }>(emu, "ServicePrincipals?attributes=applicationId");
    expect(sps.map((s) => s.applicationId)).toContain(APP_ID);

    const again = await runStack("preview", { ...opts, flags: ["--expect-no-changes"] });
    expect(again.code, again.stdout + again.stderr).toBe(0);

    const exported = JSON.stringify((await runStack("export", opts)).result);
    expect(exported).not.toContain(emu.tokens.admin);
    expect(exported).toContain('"tokenEnvVar":"WORKSPACE_TOKEN"');

    const down = await runStack("destroy", opts);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect((await listAll<Group>(emu, "Groups?attributes=displayName")).map((g) => g.displayName)).not.toContain("data-engineers");
  });
});
