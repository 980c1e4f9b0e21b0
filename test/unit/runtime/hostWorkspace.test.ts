/**
 * A unified host's workspace at workspace level (issue 24 item 2), through the provider's own check, create and
 * diff against the in-process emulator with two workspaces (its main port is a unified host): check learns the
 * workspace id from /.well-known/databricks-config, or takes DATABRICKS_WORKSPACE_ID, and stores it; calls send
 * it as X-Databricks-Workspace-Id, which routes them; another workspace id means another place (a replacement).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearHostMetadataCache } from "../../../provider/auth";
import { targetReplaces } from "../../../provider/lifecycle/target";
import { lifecycle } from "../../../provider/runtime";
import { startClient, type Client } from "../../emulator/helpers";

let c: Client;
let second: { id: string; workspaceUrl: string };
const saved = { ...process.env };

beforeAll(async () => {
  c = await startClient({ workspaces: 2 });
  second = (c.emu as unknown as { workspaces: { id: string; workspaceUrl: string }[] }).workspaces[1]!;
});
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
  Object.assign(process.env, { DATABRICKS_HOST: c.emu.url, DATABRICKS_TOKEN: c.emu.tokens.admin, DATABRICKS_SCIM_PACING: "off", HOME: "/nonexistent" });
  clearHostMetadataCache();
});
afterAll(async () => {
  process.env = saved;
  await c.close();
});

const userNames = async (base: string) => {
  const r = await c.raw("GET", `${base}/Users?attributes=userName`, undefined, { token: c.emu.tokens.admin });
  return ((r.body as { Resources?: { userName: string }[] }).Resources ?? []).map((u) => u.userName);
};

describe("a workspace-level resource on a unified host", () => {
  it("check stores the workspace id the host's metadata names; create goes there", async () => {
    const checked = await lifecycle("user").check({}, { userName: "learned@example.com" });
    expect(checked.failures).toBeUndefined();
    const inputs = checked.inputs as unknown as Record<string, unknown>;
    expect(inputs.hostWorkspaceId).toBe(c.emu.workspaceId);
    expect(inputs.accountId).toBeUndefined();
    const made = await lifecycle("user").create(inputs as never);
    expect((made.outs as unknown as Record<string, unknown>).hostWorkspaceId).toBe(c.emu.workspaceId);
    expect(await userNames(c.emu.workspaceUrl)).toContain("learned@example.com");
  });

  it("DATABRICKS_WORKSPACE_ID wins over the metadata and routes the calls to that workspace", async () => {
    process.env.DATABRICKS_WORKSPACE_ID = second.id;
    const checked = await lifecycle("user").check({}, { userName: "chosen@example.com" });
    const inputs = checked.inputs as unknown as Record<string, unknown>;
    expect(inputs.hostWorkspaceId).toBe(second.id);
    const made = await lifecycle("user").create(inputs as never);
    expect(await userNames(second.workspaceUrl)).toContain("chosen@example.com");
    expect(await userNames(c.emu.workspaceUrl)).not.toContain("chosen@example.com");
    // Later calls use what check stored, whatever the environment says now.
    delete process.env.DATABRICKS_WORKSPACE_ID;
    await lifecycle("user").delete(made.id, made.outs as never);
    expect(await userNames(second.workspaceUrl)).not.toContain("chosen@example.com");
  });

  it("another workspace id is a replacement; a state without one (written before) is not", () => {
    const base = { host: c.emu.url, level: "workspace" as const };
    expect(targetReplaces({ ...base, hostWorkspaceId: "1" }, { ...base, hostWorkspaceId: "2" })).toEqual(["hostWorkspaceId"]);
    expect(targetReplaces(base, { ...base, hostWorkspaceId: "2" })).toEqual([]);
    expect(targetReplaces({ ...base, hostWorkspaceId: "1" }, base)).toEqual([]);
  });
});
