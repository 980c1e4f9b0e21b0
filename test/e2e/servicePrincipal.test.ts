/**
 * ScimServicePrincipal through the real engine (the `pulumi` CLI, its dynamic-provider host, the emulator as
 * its own process): the whole lifecycle on one stack, each step asserting on what the server holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScimServicePrincipalArgs } from "../../provider";
import type { IdentitySpec } from "../programs/identities";
import {
  listAll,
  patchOp,
  resetStats,
  runStack,
  scim,
  expectOk,
  startEmulator,
  stats,
  specOptions,
  workDir,
  type RunningEmulator,
  type StackOptions,
} from "./harness";

interface ServicePrincipal {
  id: string;
  applicationId: string;
  displayName?: string;
  active?: boolean;
  entitlements?: { value: string }[];
}

let emu: RunningEmulator;
let opts: StackOptions;
let baseline: number;

const withSpec = (spec: IdentitySpec, extra: Partial<StackOptions> = {}): StackOptions => specOptions(opts, spec, extra);

/** By displayName (unique in this test). */
async function sps(): Promise<Map<string, ServicePrincipal>> {
  const all = await listAll<ServicePrincipal>(emu, "ServicePrincipals?attributes=applicationId,displayName,active,entitlements");
  return new Map(all.map((s) => [s.displayName ?? s.applicationId, s]));
}

const values = (s: ServicePrincipal | undefined) => (s?.entitlements ?? []).map((e) => e.value).sort();

// An Azure workspace: the program supplies each Entra application id, and a new one replaces the principal.
// (A generated applicationId, as on AWS, is checked in account.test.ts.)
const APP_1 = "6f1c3a52-9d1e-4a8b-b1f4-2a7c9e0d5b13";
const APP_2 = "0b8e2d47-3c5a-4f6e-9a1b-7d2c4e8f6a90";
const APP_CI = "3d9f7a21-5b4c-4e8d-a6f2-1c0b9e8d7a65";

// Typed as the program's arguments (not the literal's narrow type): tests assign changed ones back into it.
const spec: { servicePrincipals: Record<"ci" | "etl", ScimServicePrincipalArgs> } = {
  servicePrincipals: {
    ci: { applicationId: APP_CI, displayName: "ci-deployer", entitlements: ["workspace-access"] },
    etl: { applicationId: APP_1, displayName: "etl", entitlements: ["databricks-sql-access"], onDelete: "deactivate" },
  },
};

beforeAll(async () => {
  // Without federation: a service principal deleted in a federated workspace stays in the account, so `up` would
  // link it again (same id) where this test checks that a new one is made.
  emu = await startEmulator(["--cloud", "azure", "--no-federation"]);
  opts = { workDir: workDir("sp"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  baseline = (await sps()).size;
});

afterAll(async () => {
  await emu?.stop();
});

describe("ScimServicePrincipal through the real pulumi CLI", () => {
  it("creates them, one POST each, with their entitlements; applicationId comes back as an output", async () => {
    await resetStats(emu);
    const run = await runStack("up", withSpec(spec));
    expectOk(run);
    expect((await stats(emu)).byMethod).toEqual({ POST: 2 });
    const s = await sps();
    expect(s.size).toBe(baseline + 2);
    expect(values(s.get("ci-deployer"))).toEqual(["workspace-access"]);
    expect(s.get("ci-deployer")?.applicationId).toBe(APP_CI);
    expect(s.get("etl")?.applicationId).toBe(APP_1);
    expect(values(s.get("etl"))).toEqual(["databricks-sql-access"]);
    const outs = run.result?.outputs as Record<string, { value: Record<string, string> }>;
    expect(outs.applicationIds?.value).toEqual({ ci: APP_CI, etl: APP_1 });
  });

  it("previews no changes, with no HTTP request", async () => {
    await resetStats(emu);
    const run = await runStack("preview", withSpec(spec, { flags: ["--expect-no-changes"] }));
    expectOk(run);
    expect(run.result?.changeSummary).toEqual({ same: 3 });
    expect((await stats(emu)).total).toBe(0);
  });

  it("updates displayName, active and entitlements in place with one PATCH", async () => {
    const before = await sps();
    const next = {
      servicePrincipals: {
        ...spec.servicePrincipals,
        ci: { applicationId: APP_CI, displayName: "ci-deployer-2", active: false, entitlements: ["workspace-access", "allow-cluster-create"] },
      },
    } satisfies IdentitySpec;
    await resetStats(emu);
    const run = await runStack("up", withSpec(next));
    expectOk(run);
    expect(run.result?.summary).toMatchObject({ resourceChanges: { same: 2, update: 1 } });
    expect((await stats(emu)).byMethod).toEqual({ PATCH: 1 });
    const after = await sps();
    const ci = after.get("ci-deployer-2");
    expect(ci?.id).toBe(before.get("ci-deployer")?.id);
    expect(ci?.active).toBe(false);
    expect(values(ci)).toEqual(["allow-cluster-create", "workspace-access"]);
    expect(after.get("etl")).toEqual(before.get("etl"));
    spec.servicePrincipals.ci = next.servicePrincipals.ci;
  });

  it("replaces one whose applicationId changes, naming the field in the preview", async () => {
    const next = {
      servicePrincipals: { ...spec.servicePrincipals, etl: { ...spec.servicePrincipals.etl, applicationId: APP_2, onDelete: "delete" } },
    } satisfies IdentitySpec;
    const preview = await runStack("preview", withSpec(next, { flags: ["--diff"] }));
    expectOk(preview);
    expect(preview.stdout).toContain("+-pulumi-nodejs:dynamic/scim:ServicePrincipal: (replace)");
    expect(preview.stdout).toMatch(new RegExp(`~ applicationId\\s*: "${APP_1}" => "${APP_2}"`));
    const oldId = (await sps()).get("etl")?.id;
    const run = await runStack("up", withSpec(next));
    expectOk(run);
    expect(run.result?.summary).toMatchObject({ resourceChanges: { same: 2, replace: 1 } });
    const all = await listAll<ServicePrincipal>(emu, "ServicePrincipals?attributes=applicationId,displayName,active");
    const etl = all.filter((s) => s.displayName === "etl");
    // The old one was deactivated (its onDelete at the time it was removed), the new one is active.
    expect(etl.map((s) => [s.applicationId, s.active]).sort()).toEqual(
      [
        [APP_2, true],
        [APP_1, false],
      ].sort(),
    );
    expect(etl.find((s) => s.applicationId === APP_2)?.id).not.toBe(oldId);
    // Take the deactivated one away by hand, so the rest starts from what the program declares.
    expect((await scim(emu, "DELETE", `/ServicePrincipals/${oldId}`)).status).toBe(204);
    spec.servicePrincipals.etl = next.servicePrincipals.etl;
  });

  it("finds a removed entitlement and a rename made in the admin console on refresh; `up` restores them", async () => {
    const s = await sps();
    const ci = s.get("ci-deployer-2") as ServicePrincipal;
    const etl = s.get("etl") as ServicePrincipal;
    await scim(emu, "PATCH", `/ServicePrincipals/${ci.id}`, patchOp({ op: "remove", path: "entitlements", value: [{ value: "allow-cluster-create" }] }));
    await scim(emu, "PATCH", `/ServicePrincipals/${etl.id}`, patchOp({ op: "replace", path: "displayName", value: "etl-console" }));
    const refresh = await runStack("refresh", withSpec(spec));
    expectOk(refresh);
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { update: 2 } });
    const preview = await runStack("preview", withSpec(spec, { flags: ["--diff"] }));
    expectOk(preview);
    // Lists diff by position: the restored entitlement shows as a change of the entitlements list.
    expect(preview.stdout).toMatch(/~ entitlements\s*: \[[^\n]*\n(\s+[~+] \[\d\]: [^\n]*\n)*?\s+[~+] \[\d\]: [^\n]*"allow-cluster-create"/);
    expect(preview.stdout).toMatch(/~ displayName\s*: "etl-console" => "etl"/);
    const up = await runStack("up", withSpec(spec));
    expectOk(up);
    const after = await sps();
    expect(values(after.get("ci-deployer-2"))).toEqual(["allow-cluster-create", "workspace-access"]);
    expect(after.get("etl")?.id).toBe(etl.id);
  });

  it("drops one deleted on the server on refresh, and `up` creates it again", async () => {
    const ci = (await sps()).get("ci-deployer-2") as ServicePrincipal;
    expect((await scim(emu, "DELETE", `/ServicePrincipals/${ci.id}`)).status).toBe(204);
    const refresh = await runStack("refresh", withSpec(spec));
    expectOk(refresh);
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { delete: 1 } });
    const up = await runStack("up", withSpec(spec));
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { create: 1 } });
    const again = (await sps()).get("ci-deployer-2");
    expect(again?.id).not.toBe(ci.id);
    expect(again?.active).toBe(false);
    expect(values(again)).toEqual(["allow-cluster-create", "workspace-access"]);
  });

  it("destroy leaves the server's service principals as they were", async () => {
    const run = await runStack("destroy", withSpec(spec));
    expectOk(run);
    expect((await sps()).size).toBe(baseline);
  });
});
