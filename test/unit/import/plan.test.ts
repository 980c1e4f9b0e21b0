import { describe, expect, it } from "vitest";
import type { Directory, ReadGroup, ReadServicePrincipal, ReadUser } from "../../../provider/import/model";
import { allReportedAttributes, type Fields } from "../../../provider/lifecycle/fields";
import { GROUP_FIELDS } from "../../../provider/lifecycle/groupFields";
import { SERVICE_PRINCIPAL_FIELDS } from "../../../provider/lifecycle/servicePrincipalFields";
import { USER_FIELDS } from "../../../provider/lifecycle/userFields";
import { escapeKey, groupName, userName } from "../../../provider/import/naming";
import { COLLECTION_THRESHOLD, identitiesFor, planImport, type PlanOptions } from "../../../provider/import/plan";
import { KINDS, type Kind } from "../../../provider/import/read";
import { renderModule } from "../../../provider/import/render";

const all = new Set<Kind>(KINDS);
const base: PlanOptions = { kinds: all, memberships: "members", idpOwned: "lookup" };

function directory(): Directory {
  return {
    host: "http://127.0.0.1:1",
    level: "workspace",
    requests: 0,
    elapsedMs: 0,
    users: [
      { id: "12", userName: "user_1@x.com", active: true, entitlements: [], roles: [] },
      { id: "11", userName: "user+1@x.com", active: true, entitlements: ["workspace-access"], roles: [] },
      { id: "13", userName: "okta@x.com", active: true, externalId: "okta-1", entitlements: [], roles: [] },
    ],
    servicePrincipals: [{ id: "21", applicationId: "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10", displayName: "ci", active: true, entitlements: [], roles: [] }],
    groups: [
      { id: "31", displayName: "admins", roles: [], entitlements: [], members: [{ id: "12", kind: "user" }] },
      {
        id: "32",
        displayName: "team",
        roles: [],
        entitlements: ["allow-cluster-create"],
        members: [
          { id: "21", kind: "servicePrincipal" },
          { id: "11", kind: "user" },
          { id: "33", kind: "group" },
          { id: "13", kind: "user" },
        ],
      },
      { id: "33", displayName: "team/sub", roles: [], entitlements: [], members: [] },
      { id: "34", displayName: "account-wide", resourceType: "Group", roles: [], entitlements: [], members: [{ id: "11", kind: "user" }] },
      { id: "35", displayName: "idp", externalId: "okta-g", roles: [], entitlements: [], members: [{ id: "11", kind: "user" }] },
    ],
  };
}

describe("names", () => {
  it("are injective and depend on the key alone", () => {
    expect(userName("user+1@x.com")).not.toBe(userName("user_1@x.com"));
    expect(groupName("a/b")).not.toBe(groupName("a%2Fb"));
    expect(groupName("a:b")).toBe("group:a%3Ab"); // never a `::` in a URN
    expect(escapeKey("Données")).toBe("Donn%C3%A9es");
    expect(userName("Alice@X.com")).toBe("user:alice@x.com");
  });
});

describe("planImport", () => {
  it("declares what it may manage, refers to built-in, account and IdP-owned objects, and keeps pairs for built-ins", () => {
    const plan = planImport(directory(), base);
    expect(plan.users.map((u) => u.key)).toEqual(["user+1@x.com", "user_1@x.com"]);
    expect(plan.groups.map((g) => g.key)).toEqual(["team", "team/sub"]);
    expect(plan.lookups.map((l) => `${l.kind}:${l.key}`)).toEqual(["groups:account-wide", "groups:admins", "groups:idp", "users:okta@x.com"]);
    expect(plan.memberships.map((m) => `${m.kind} ${m.name}`)).toEqual([
      "groupMembership member:admins/user:user_1@x.com",
      "groupMembers members:team",
      "groupMembers members:team%2Fsub",
    ]);
    const team = plan.memberships[1];
    expect(team?.members.map((r) => ("declared" in r ? r.name : `lookup ${r.key}`))).toEqual([
      "group:team%2Fsub",
      "sp:6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10",
      "lookup okta@x.com", // sorted by name: user:okta@x.com
      "user:user+1@x.com",
    ]);
  });

  it("includes IdP-owned objects on request, and memberships as pairs", () => {
    const plan = planImport(directory(), { ...base, idpOwned: "include", memberships: "pairs" });
    expect(plan.groups.map((g) => g.key)).toEqual(["idp", "team", "team/sub"]);
    expect(plan.users.find((u) => u.key === "okta@x.com")?.args.externalId).toBe("okta-1");
    expect(plan.memberships.every((m) => m.kind === "groupMembership")).toBe(true);
    expect(plan.memberships.map((m) => m.name)).toContain("member:idp/user:user+1@x.com");
  });

  it("leaves out what the stack manages under other names, and kinds not asked for", () => {
    const plan = planImport(directory(), { ...base, kinds: new Set<Kind>(["groups"]), managedElsewhere: new Map([["group|33", "urn:x"]]) });
    expect(plan.users).toEqual([]);
    expect(plan.memberships).toEqual([]);
    expect(plan.groups.map((g) => g.key)).toEqual(["team"]);
    expect(plan.skipped).toEqual([{ kind: "group", key: "team/sub", id: "33", by: "urn:x" }]);
  });

  it("renders the same text whatever order the server listed things in", () => {
    const a = directory();
    const b = directory();
    b.users.reverse();
    b.groups.reverse();
    for (const g of b.groups) g.members?.reverse();
    expect(renderModule(planImport(b, base), "src")).toBe(renderModule(planImport(a, base), "src"));
  });

  it("omits applicationId on hosts that generate it", () => {
    const d = { ...directory(), host: "https://dbc-1.cloud.databricks.com" };
    expect(planImport(d, base).servicePrincipals[0]?.args).toEqual({ displayName: "ci", active: true, entitlements: [] });
  });

  it("the cloud the host's metadata names decides, over the host name (issue 24)", () => {
    const loopback = { ...directory(), host: "http://127.0.0.1:8080" };
    expect(planImport(loopback, { ...base, cloud: "aws" }).servicePrincipals[0]?.args).toEqual({ displayName: "ci", active: true, entitlements: [] });
    expect(planImport(loopback, { ...base, cloud: "azure" }).servicePrincipals[0]?.args).toHaveProperty("applicationId");
    expect(planImport(loopback, base).servicePrincipals[0]?.args).toHaveProperty("applicationId");
  });

  it("--adopt puts adopt: true on users, groups and service principals, never on memberships", () => {
    const text = renderModule(planImport(directory(), { ...base, adopt: true }), "src");
    expect(text).toContain(
      `users["user+1@x.com"] = new ScimUser("user:user+1@x.com", { ...target, userName: "user+1@x.com", active: true, entitlements: ["workspace-access"], adopt: true });`,
    );
    expect(text).toMatch(/new ScimGroup\("group:team", \{[^}]*adopt: true \}\)/);
    expect(text).toMatch(/new ScimServicePrincipal\([^)]*adopt: true \}\)/);
    expect(text).not.toMatch(/new GroupMembers\([^)]*adopt/);
  });
});

describe("the importer follows the kinds' field tables", () => {
  // Issue 20: the importer kept its own field lists, so a field added to a kind was read by refresh but never
  // taken over. Now a value for every reported field of each table reaches the generated arguments.
  const sample = (type: string): unknown => (type === "boolean" ? false : type === "entitlements" || type === "roles" ? ["a"] : "x@y.z");
  const everyField = (fields: Fields): Record<string, unknown> & { displayName: string } =>
    Object.fromEntries(
      Object.entries(fields)
        .filter(([, f]) => f.path && (f.reported || f.reportedWhenManaged))
        .map(([k, f]) => [k, sample(f.type)]),
    ) as Record<string, unknown> & { displayName: string };

  it("declares every reported field of users, service principals and groups", () => {
    const user = { id: "1", ...everyField(USER_FIELDS) } as ReadUser;
    const sp = { id: "2", ...everyField(SERVICE_PRINCIPAL_FIELDS) } as ReadServicePrincipal;
    const group = { id: "3", ...everyField(GROUP_FIELDS), members: [] } as ReadGroup;
    const d: Directory = { ...directory(), users: [user], servicePrincipals: [sp], groups: [group] };
    const plan = planImport(d, { ...base, idpOwned: "include" });
    expect(Object.keys(plan.users[0]?.args ?? {}).sort()).toEqual(Object.keys(everyField(USER_FIELDS)).sort());
    expect(Object.keys(plan.servicePrincipals[0]?.args ?? {}).sort()).toEqual(Object.keys(everyField(SERVICE_PRINCIPAL_FIELDS)).sort());
    expect(Object.keys(plan.groups[0]?.args ?? {}).sort()).toEqual(Object.keys(everyField(GROUP_FIELDS)).sort());
  });

  it("asks the server for every attribute the tables report (entitlements in workspaces only)", () => {
    expect(allReportedAttributes(USER_FIELDS, "workspace")).toBe("userName,displayName,name,externalId,active,entitlements,roles");
    expect(allReportedAttributes(USER_FIELDS, "account")).not.toContain("entitlements");
    expect(allReportedAttributes(GROUP_FIELDS, "workspace")).toContain("entitlements");
  });
});

describe("--identities: collections for large workspaces", () => {
  it("collection: one ScimUsers by userName and one ScimServicePrincipals by applicationId; members from idOf; IdP-owned stay lookups", () => {
    const plan = planImport(directory(), { ...base, identities: "collection" });
    expect(plan.identities).toBe("collection");
    expect(plan.users).toEqual([]);
    expect(plan.servicePrincipals).toEqual([]);
    expect(plan.collections.map((c) => `${c.kind} ${c.name} ${c.entries.map((e) => e.key).join(",")}`)).toEqual([
      "users users user+1@x.com,user_1@x.com",
      "servicePrincipals servicePrincipals 6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10",
    ]);
    expect(plan.lookups.map((l) => `${l.kind}:${l.key}`)).toContain("users:okta@x.com");
    const text = renderModule(plan, "src");
    expect(text).toContain(`import { GroupMembers, GroupMembership, ScimGroup, ScimServicePrincipals, ScimUsers } from "pulumi-databricks-scim";`);
    expect(text).toContain(
      [
        `  const people = new ScimUsers("users", {`,
        `    ...target,`,
        `    users: {`,
        `      "user+1@x.com": { active: true, entitlements: ["workspace-access"] },`,
        `      "user_1@x.com": { active: true, entitlements: [] },`,
        `    },`,
        `  });`,
      ].join("\n"),
    );
    expect(text).toContain(`"6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10": { displayName: "ci", active: true, entitlements: [] },`);
    expect(text).toContain(
      `new GroupMembers("members:team", { ...target, group: groups["team"]!, members: [groups["team/sub"]!, robots.idOf("6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10"), lookups.users["okta@x.com"]!, people.idOf("user+1@x.com")] });`,
    );
    // Pairs keep the per-identity names, so a switch of --identities does not rename memberships.
    expect(text).toContain(
      `new GroupMembership("member:admins/user:user_1@x.com", { ...target, group: lookups.groups["admins"]!, member: people.idOf("user_1@x.com") });`,
    );
    expect(text).toContain(`  return { people, robots, users, servicePrincipals, groups, memberships };`);
    expect(text).toContain(`  people: ScimUsers;\n  robots: ScimServicePrincipals;`);
    expect(text).not.toContain("new ScimUser(");
  });

  it("auto: resources below COLLECTION_THRESHOLD identities to declare, collections from it on (users and service principals together)", () => {
    expect(planImport(directory(), base).identities).toBe("resources");
    const many = (n: number): Directory => ({
      ...directory(),
      users: Array.from({ length: n }, (_, i) => ({
        id: `u${i}`,
        userName: `p${String(i).padStart(4, "0")}@x.com`,
        active: true,
        entitlements: [],
        roles: [],
      })),
    });
    // directory() has one service principal to declare (Azure-style host: the program gives applicationId).
    expect(planImport(many(COLLECTION_THRESHOLD - 2), base).identities).toBe("resources");
    expect(planImport(many(COLLECTION_THRESHOLD - 1), base).identities).toBe("collection");
    expect(planImport(many(COLLECTION_THRESHOLD - 1), { ...base, identities: "resources" }).identities).toBe("resources");
    // IdP-owned users are lookups, so they do not count.
    const owned = many(COLLECTION_THRESHOLD);
    for (const u of owned.users.slice(0, 2)) u.externalId = "okta";
    expect(planImport(owned, base).identities).toBe("resources");
    expect(identitiesFor("auto", COLLECTION_THRESHOLD)).toBe("collection");
    expect(identitiesFor("collection", 1)).toBe("collection");
  });

  it("where Databricks generates application ids, service principals stay resources; --adopt goes on the collection", () => {
    const d = { ...directory(), host: "https://dbc-1.cloud.databricks.com" };
    const plan = planImport(d, { ...base, identities: "collection", adopt: true });
    expect(plan.collections.map((c) => c.kind)).toEqual(["users"]);
    expect(plan.servicePrincipals.map((s) => s.name)).toEqual(["sp:6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10"]);
    const text = renderModule(plan, "src");
    expect(text).toContain(`      "user_1@x.com": { active: true, entitlements: [] },\n    },\n    adopt: true,\n  });`);
    expect(text).toMatch(/new ScimServicePrincipal\("sp:[^"]+", \{ \.\.\.target, displayName: "ci", active: true, entitlements: \[\], adopt: true \}\)/);
    expect(text).toContain(`members: [groups["team/sub"]!, servicePrincipals["6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10"]!,`);
  });

  it("renders the same text whatever order the server listed things in", () => {
    const a = directory();
    const b = directory();
    b.users.reverse();
    b.groups.reverse();
    const opts = { ...base, identities: "collection" as const };
    expect(renderModule(planImport(b, opts), "src")).toBe(renderModule(planImport(a, opts), "src"));
  });
});
