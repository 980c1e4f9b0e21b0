import { describe, expect, it } from "vitest";
import { planMirror, type RootRead } from "../../../provider/entra/plan";
import type { EntraGroup, EntraMember, EntraServicePrincipal, EntraUser } from "../../../provider/entra/types";

const user = (id: string, upn: string, extra: Partial<EntraUser> = {}): EntraUser => ({
  kind: "user",
  id,
  userPrincipalName: upn,
  displayName: upn.split("@")[0],
  ...extra,
});
const group = (id: string, displayName: string): EntraGroup => ({ kind: "group", id, displayName });
const sp = (id: string, appId: string): EntraServicePrincipal => ({ kind: "servicePrincipal", id, appId, displayName: `sp-${id}` });
const opts = { userName: "userPrincipalName" as const, nestedGroupPrefix: "" };

const ann = user("u-ann", "Ann@Contoso.com");
const bob = user("u-bob", "bob@contoso.com", { accountEnabled: false });
const gus = user("u-gus", "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com", { mail: "Gus@Fabrikam.com", userType: "Guest" });
const etl = sp("s-etl", "9A8B7C6D-0000-4000-8000-000000000001");
const data = group("g-data", "Data");
const eng = group("g-eng", "Eng");
const platform = group("g-platform", "Platform");
const analytics = group("g-analytics", "Analytics");
const laptop: EntraMember = { kind: "other", id: "d-1", odataType: "#microsoft.graph.device" };

// Data → Eng → Platform (3 levels); Data → Analytics; Ann is in Platform and in Analytics.
function nestedTree(): RootRead {
  const tree = new Map<string, { group: EntraGroup; members: EntraMember[] }>([
    [data.id, { group: data, members: [eng, analytics, laptop] }],
    [eng.id, { group: eng, members: [bob, platform, etl] }],
    [platform.id, { group: platform, members: [ann, gus] }],
    [analytics.id, { group: analytics, members: [ann] }],
  ]);
  return { mode: "nested", root: data, name: "data-all", entitlements: ["workspace-access"], tree };
}

describe("planMirror", () => {
  it("nested: one Databricks group per Entra group, each with its direct members and child groups; a user in two branches is one user", () => {
    const plan = planMirror([nestedTree()], opts);
    expect([...plan.groups.values()].map((g) => [g.displayName, g.root, g.members.map((m) => `${m.kind}:${m.key}`)])).toEqual([
      ["data-all", true, ["group:group-g-eng", "group:group-g-analytics"]],
      ["Eng", false, ["user:u-bob", "servicePrincipal:s-etl", "group:group-g-platform"]],
      ["Platform", false, ["user:u-ann", "user:u-gus"]],
      ["Analytics", false, ["user:u-ann"]],
    ]);
    expect(plan.groups.get("group-g-data")?.entitlements).toEqual(["workspace-access"]);
    expect([...plan.users.values()].map((u) => [u.userName, u.active])).toEqual([
      ["bob@contoso.com", false],
      ["ann@contoso.com", true],
      ["gus@fabrikam.com", true],
    ]);
    expect([...plan.servicePrincipals.values()].map((s) => s.applicationId)).toEqual(["9a8b7c6d-0000-4000-8000-000000000001"]);
  });

  it("flatten: every transitive user and service principal as a direct member, groups and devices left out", () => {
    const plan = planMirror([{ mode: "flatten", root: data, members: [eng, bob, etl, platform, ann, gus, analytics, laptop] }], opts);
    const g = plan.groups.get("flat-g-data");
    expect(g?.displayName).toBe("Data");
    expect(g?.members.map((m) => m.key)).toEqual(["u-bob", "s-etl", "u-ann", "u-gus"]);
    expect(plan.groups.size).toBe(1);
  });

  it("both modes of overlapping trees share the users", () => {
    const plan = planMirror([nestedTree(), { mode: "flatten", root: eng, name: "eng-flat", members: [bob, platform, ann, gus, etl] }], opts);
    expect(plan.users.size).toBe(3);
    expect(plan.groups.get("flat-g-eng")?.members.length).toBe(4);
    expect(plan.groups.get("group-g-eng")?.displayName).toBe("Eng");
  });

  it("userName from mail when asked; a guest without mail is left out with a warning", () => {
    const carl = user("u-carl", "carl@contoso.com", { mail: "Carl.Smith@contoso.com" });
    const ghost = user("u-ghost", "ghost_x.com#EXT#@contoso.onmicrosoft.com", { userType: "Guest" });
    const plan = planMirror([{ mode: "flatten", root: data, members: [carl, ghost, ann] }], { ...opts, userName: "mail" });
    expect([...plan.users.values()].map((u) => u.userName)).toEqual(["carl.smith@contoso.com", "ann@contoso.com"]);
    expect(plan.warnings.join()).toMatch(/u-ghost .* guest without a mail address/);
  });

  it("refuses two Entra users with one userName, two groups with one Databricks name, and nesting loops", () => {
    const twin = user("u-twin", "ANN@contoso.com");
    expect(() => planMirror([{ mode: "flatten", root: data, members: [ann, twin] }], opts)).toThrow(
      /u-ann and u-twin both map to Databricks userName 'ann@contoso.com'/,
    );
    expect(() =>
      planMirror(
        [
          { mode: "flatten", root: data, name: "x", members: [] },
          { mode: "flatten", root: eng, name: "X", members: [] },
        ],
        opts,
      ),
    ).toThrow(/would both be the Databricks group 'X'/);
    const loop = new Map([
      [eng.id, { group: eng, members: [platform] as EntraMember[] }],
      [platform.id, { group: platform, members: [eng] as EntraMember[] }],
    ]);
    expect(() => planMirror([{ mode: "nested", root: eng, tree: loop }], opts)).toThrow(/nest in a loop \(Eng → Platform → Eng\)/);
    expect(() =>
      planMirror(
        [
          { mode: "flatten", root: eng, members: [] },
          { mode: "flatten", root: eng, members: [] },
        ],
        opts,
      ),
    ).toThrow(/listed twice/);
  });

  it("nestedGroupPrefix names the nested groups, not the root", () => {
    const plan = planMirror([nestedTree()], { ...opts, nestedGroupPrefix: "entra-" });
    expect([...plan.groups.values()].map((g) => g.displayName)).toEqual(["data-all", "entra-Eng", "entra-Platform", "entra-Analytics"]);
  });
});
