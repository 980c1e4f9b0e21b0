/**
 * Adoption on purpose, through the real engine: identities that exist before the program (made "in the admin
 * console" here with raw SCIM) are refused without `adopt`, shown by the preview with what the program declares,
 * taken over in place (same SCIM id) with `adopt: true`, and a group an IdP connector owns is never rewritten
 * unless the program repeats its externalId.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { output, requestLog, resetStats, runStack, scim, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

interface Obj {
  id: string;
  displayName?: string;
  externalId?: string;
  entitlements?: { value: string }[];
  members?: { value: string }[];
}

let emu: RunningEmulator;
let opts: StackOptions;
const pre: Record<"user" | "team" | "idp" | "sp", Obj> = {} as never;

const withSpec = (spec: IdentitySpec, flags: string[] = []): StackOptions => ({ ...opts, config: { spec: JSON.stringify(spec) }, flags });
const get = async (kind: string, id: string): Promise<Obj> =>
  (await scim<Obj>(emu, "GET", `/${kind}/${id}?attributes=displayName,externalId,entitlements,members`)).body;
const values = (o: Obj): string[] => (o.entitlements ?? []).map((e) => e.value).sort();

const adopted = {
  users: { alice: { userName: "Adopt.Me@example.com", displayName: "Alice Adopted", entitlements: ["databricks-sql-access"], adopt: true } },
  groups: { team: { displayName: "plain-team", entitlements: ["workspace-access"], adopt: true } },
  servicePrincipals: { ci: { displayName: "legacy-ci", adopt: true } },
} satisfies IdentitySpec;

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "aws"]); // service principals with generated applicationIds (AWS)
  opts = { workDir: workDir("adopt"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  pre.user = (
    await scim<Obj>(emu, "POST", "/Users", { userName: "adopt.me@example.com", displayName: "Old Name", entitlements: [{ value: "allow-cluster-create" }] })
  ).body;
  pre.team = (await scim<Obj>(emu, "POST", "/Groups", { displayName: "plain-team", members: [{ value: pre.user.id }] })).body;
  pre.idp = (await scim<Obj>(emu, "POST", "/Groups", { displayName: "idp-team", externalId: "okta-123", members: [{ value: pre.user.id }] })).body;
  pre.sp = (await scim<Obj>(emu, "POST", "/ServicePrincipals", { displayName: "legacy-ci" })).body;
});

afterAll(async () => {
  await emu?.stop();
});

describe("adopting existing identities through the real pulumi CLI", () => {
  it("without adopt: `up` refuses, naming the existing object and `adopt: true`, and writes nothing", async () => {
    await resetStats(emu);
    const run = await runStack("up", withSpec({ users: { alice: { userName: "adopt.me@example.com" } } }));
    expect(run.code).not.toBe(0);
    expect(output(run)).toMatch(
      new RegExp(
        `userName: a user 'adopt.me@example.com' already exists in .* \\(id ${pre.user.id}\\), and this machine has no record of this stack creating it\\..*If no run of this stack made it, set \`adopt: true\``,
      ),
    );
    const writes = (await requestLog(emu)).filter((r) => r.method !== "GET");
    expect(writes.map((w) => `${w.method} ${w.status}`)).toEqual(["POST 409"]);
  });

  it("the preview shows what adopting will set, and makes no request", async () => {
    await resetStats(emu);
    const run = await runStack("preview", withSpec(adopted, ["--diff"]));
    expect(run.code, output(run)).toBe(0);
    const text = output(run);
    expect(text).toMatch(
      /\+ pulumi-nodejs:dynamic\/scim:User: \(create\)[\s\S]*adopt\s*: true[\s\S]*displayName\s*: "Alice Adopted"[\s\S]*"databricks-sql-access"/,
    );
    expect(text).toMatch(/\+ pulumi-nodejs:dynamic\/scim:Group: \(create\)[\s\S]*displayName\s*: "plain-team"/);
    expect(await requestLog(emu)).toEqual([]);
  });

  it("with adopt: takes each over in place (same ids), sets what the program declares, keeps the rest", async () => {
    const run = await runStack("up", withSpec(adopted));
    expect(run.code, output(run)).toBe(0);
    const outs = run.result?.outputs as Record<string, { value: Record<string, string> }>;
    expect(outs.users?.value.alice).toBe(pre.user.id);
    expect(outs.groups?.value.team).toBe(pre.team.id);
    expect(outs.servicePrincipals?.value.ci).toBe(pre.sp.id);
    const user = await get("Users", pre.user.id);
    expect(user.displayName).toBe("Alice Adopted");
    expect(values(user)).toEqual(["databricks-sql-access"]); // a declared list is enforced exactly
    const team = await get("Groups", pre.team.id);
    expect(values(team)).toEqual(["workspace-access"]);
    expect((team.members ?? []).map((m) => m.value)).toEqual([pre.user.id]); // members are not the group's business
    const preview = await runStack("preview", withSpec(adopted, ["--expect-no-changes"]));
    expect(preview.code, output(preview)).toBe(0);
  });

  it("a group an IdP connector owns (another externalId) is refused, and left exactly as it was", async () => {
    const spec = {
      ...adopted,
      groups: { ...adopted.groups, idp: { displayName: "idp-team", entitlements: ["workspace-access"], adopt: true } },
    } satisfies IdentitySpec;
    await resetStats(emu);
    const run = await runStack("up", withSpec(spec));
    expect(run.code).not.toBe(0);
    expect(output(run)).toMatch(
      /externalId: the group 'idp-team' \(id \d+\) in .* is owned by an identity provider connector \(externalId 'okta-123'\).*set externalId: "okta-123"/,
    );
    const writes = (await requestLog(emu)).filter((r) => r.method !== "GET");
    expect(writes.map((w) => `${w.method} ${w.status}`)).toEqual(["POST 409"]);
    const idp = await get("Groups", pre.idp.id);
    expect(idp).toMatchObject({ displayName: "idp-team", externalId: "okta-123" });
    expect(values(idp)).toEqual([]);
    expect((idp.members ?? []).map((m) => m.value)).toEqual([pre.user.id]);
  });

  it("repeating the connector's externalId takes it over on purpose", async () => {
    const spec = {
      ...adopted,
      groups: { ...adopted.groups, idp: { displayName: "idp-team", externalId: "okta-123", entitlements: ["workspace-access"], adopt: true } },
    } satisfies IdentitySpec;
    const run = await runStack("up", withSpec(spec));
    expect(run.code, output(run)).toBe(0);
    const idp = await get("Groups", pre.idp.id);
    expect(values(idp)).toEqual(["workspace-access"]);
    expect(idp.externalId).toBe("okta-123");
  });
});
