/**
 * A Databricks-managed service principal on Azure (issue 24 item 3): no applicationId in the program, so Azure
 * Databricks generates it, as for the usual CI identity with an OAuth secret. Through the real engine (the
 * `pulumi` CLI, the emulator as its own process with --cloud azure): create, refresh with no drift, destroy.
 * The Entra ID-managed kind (the program supplies the application id) is covered in servicePrincipal.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { expectOk, listAll, resetStats, runStack, specOptions, startEmulator, stats, workDir, type RunningEmulator, type StackOptions } from "./harness";

interface ServicePrincipal {
  id: string;
  applicationId: string;
  displayName?: string;
  entitlements?: { value: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const spec: IdentitySpec = { servicePrincipals: { ci: { displayName: "ci-managed", entitlements: ["workspace-access"] } } };

let emu: RunningEmulator;
let opts: StackOptions;

const named = async (name: string): Promise<ServicePrincipal[]> =>
  (await listAll<ServicePrincipal>(emu, "ServicePrincipals?attributes=applicationId,displayName,entitlements")).filter((s) => s.displayName === name);

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "azure"]);
  opts = specOptions({ workDir: workDir("sp-azure-managed"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } }, spec);
});

afterAll(async () => {
  await emu?.stop();
});

describe("Databricks-managed service principal on an Azure workspace", () => {
  let created: ServicePrincipal;

  it("up creates it with one POST; the generated applicationId is an output", async () => {
    await resetStats(emu);
    const run = await runStack("up", opts);
    expectOk(run);
    // The GET: without an applicationId only the (non-unique) name identifies it, so create lists by name first.
    expect((await stats(emu)).byMethod).toEqual({ GET: 1, POST: 1 });
    const found = await named("ci-managed");
    expect(found).toHaveLength(1);
    created = found[0] as ServicePrincipal;
    expect(created.applicationId).toMatch(UUID);
    expect((created.entitlements ?? []).map((e) => e.value)).toEqual(["workspace-access"]);
    const outs = run.result?.outputs as Record<string, { value: Record<string, string> }>;
    expect(outs.applicationIds?.value).toEqual({ ci: created.applicationId });
  });

  it("refresh finds no drift, and a preview after it no change", async () => {
    const refresh = await runStack("refresh", opts);
    expectOk(refresh);
    const changes = (refresh.result?.summary as { resourceChanges?: Record<string, number> } | undefined)?.resourceChanges;
    expect(changes).toBeDefined();
    expect(changes).not.toHaveProperty("update");
    expect(changes).not.toHaveProperty("delete");
    const preview = await runStack("preview", specOptions(opts, spec, { flags: ["--expect-no-changes"] }));
    expectOk(preview);
    expect((await named("ci-managed")).map((s) => [s.id, s.applicationId])).toEqual([[created.id, created.applicationId]]);
  });

  it("destroy deletes it", async () => {
    const run = await runStack("destroy", opts);
    expectOk(run);
    expect(await named("ci-managed")).toEqual([]);
  });
});
