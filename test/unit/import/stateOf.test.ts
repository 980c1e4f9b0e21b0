/**
 * The state the importer writes must be what `pulumi up` would record: for each kind, the outputs stateOf.ts
 * derives for an object read from the emulator equal what the lifecycle's own `create` returns for the same
 * inputs, as the dynamic resources' shims call it (the stored shape: runtime `storedLifecycle`), and the
 * lifecycle's `diff` of that state against the inputs is empty.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScimClient, staticToken } from "../../../provider/client";
import { planImport } from "../../../provider/import/plan";
import { KINDS, readDirectory, type Kind } from "../../../provider/import/read";
import { statesOf } from "../../../provider/import/stateOf";
import { storedLifecycle } from "../../../provider/runtime";
import { startClient, type Client } from "../../emulator/helpers";

let c: Client;
const saved = { ...process.env };

beforeAll(async () => {
  c = await startClient({ cloud: "azure" }); // service principals carry the program's applicationId, so create can make one again
  for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
  Object.assign(process.env, { DATABRICKS_HOST: c.emu.url, DATABRICKS_TOKEN: c.emu.tokens.admin, DATABRICKS_SCIM_PACING: "off", HOME: "/nonexistent" });
  const u = await c.ws("POST", "/Users", { userName: "a@x.com", displayName: "A", name: { givenName: "G" }, entitlements: [{ value: "workspace-access" }] });
  const sp = await c.ws("POST", "/ServicePrincipals", { applicationId: "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10", displayName: "ci", entitlements: [] });
  await c.ws("POST", "/Groups", {
    displayName: "g1",
    entitlements: [{ value: "allow-cluster-create" }],
    members: [{ value: u.body.id }, { value: sp.body.id }],
  });
});

afterAll(async () => {
  process.env = saved;
  await c.close();
});

describe("stateOf", () => {
  it("gives the outputs create gives, and a state whose diff is empty", async () => {
    const client = new ScimClient({ host: c.emu.url, level: "workspace", auth: staticToken(c.emu.tokens.admin, "the test token"), rateLimits: false });
    const dir = await readDirectory(client, { kinds: new Set<Kind>(KINDS) });
    await client.close();
    const plan = planImport(dir, { kinds: new Set<Kind>(KINDS), memberships: "members", idpOwned: "lookup" });
    const states = await statesOf(plan);
    // GroupMembers: the members keyed by the labels the module's resources register (userName, sp:<applicationId>),
    // and the outputs create returns for those inputs (the group already has exactly these members).
    const list = states.find((s) => s.kind === "groupMembers" && s.name === "members:g1")!;
    const byLabel = list.inputs.members as Record<string, string>;
    expect(Object.keys(byLabel).sort()).toEqual(["a@x.com", "sp:6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10"]);
    expect(list.inputs.memberIds).toBeUndefined();
    const { __provider: _l, ...listInputs } = list.inputs;
    const { __provider: _m, ...listOutputs } = list.outputs;
    expect((await storedLifecycle("groupMembers").create(listInputs as never)).outs).toEqual(listOutputs);
    const paths = { user: "Users", group: "Groups", servicePrincipal: "ServicePrincipals" } as const;
    const identities = states.filter((s) => s.kind in paths && (s.name === "user:a@x.com" || s.name === "group:g1" || s.name.startsWith("sp:")));
    expect(identities.map((s) => s.kind).sort()).toEqual(["group", "servicePrincipal", "user"]);
    for (const s of identities) {
      const { __provider: _p, ...inputs } = s.inputs;
      const { __provider: _q, ...expected } = s.outputs;
      // The same object made anew by the provider's create (after removing the original) yields the same outputs.
      expect((await c.ws("DELETE", `/${paths[s.kind as keyof typeof paths]}/${s.id}`)).status).toBe(204);
      const made = await storedLifecycle(s.kind).create(inputs as never);
      const outs = made.outs as unknown as Record<string, unknown>;
      if (typeof outs.url === "string") outs.url = outs.url.replace(made.id, s.id);
      expect(outs).toEqual(expected);
    }
    const members = states.find((s) => s.kind === "groupMembers")!;
    expect(members.dependsOn.memberIds?.length).toBe(2);
    expect(JSON.stringify(states)).not.toContain(c.emu.tokens.admin);
  });
});

describe("stateOf, collections (--identities collection)", () => {
  it("gives the outputs the collection's create gives, and a state whose diff is empty", async () => {
    const b = await c.ws("POST", "/Users", { userName: "b@x.com", entitlements: [] });
    await c.ws("POST", "/Users", { userName: "c@x.com", displayName: "C", active: false, entitlements: [{ value: "databricks-sql-access" }] });
    const sp = await c.ws("POST", "/ServicePrincipals", { applicationId: "0c6f3a1e-1d2b-4c5e-8f70-9a1b2c3d4e5f", displayName: "etl" });
    await c.ws("POST", "/Groups", { displayName: "g2", members: [{ value: b.body.id }, { value: sp.body.id }] });
    const client = new ScimClient({ host: c.emu.url, level: "workspace", auth: staticToken(c.emu.tokens.admin, "the test token"), rateLimits: false });
    const read = await readDirectory(client, { kinds: new Set<Kind>(KINDS) });
    await client.close();
    // The emulator's own users (the tokens' admin and user) stay as they are.
    const dir = { ...read, users: read.users.filter((u) => u.userName.endsWith("@x.com")) };
    const plan = planImport(dir, { kinds: new Set<Kind>(KINDS), memberships: "members", idpOwned: "lookup", identities: "collection" });
    const states = await statesOf(plan);
    expect(states.filter((s) => s.kind === "user" || s.kind === "servicePrincipal")).toEqual([]);
    const people = states.find((s) => s.kind === "users")!;
    const robots = states.find((s) => s.kind === "servicePrincipals")!;
    expect(people.type).toBe("pulumi-nodejs:dynamic/scim:Users");
    expect(Object.keys(people.outputs.users as object)).toEqual(["a@x.com", "b@x.com", "c@x.com"]);
    // The importer's id of a collection is the same on every run (a rerun changes nothing), and a UUID.
    expect((await statesOf(plan)).find((s) => s.kind === "users")?.id).toBe(people.id);
    expect(people.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    // Members: labelled by userName / sp:<applicationId> (what idOf records), one dependency on each collection.
    const list = states.find((s) => s.kind === "groupMembers" && s.name === "members:g2")!;
    expect(Object.keys(list.inputs.members as object).sort()).toEqual(["b@x.com", "sp:0c6f3a1e-1d2b-4c5e-8f70-9a1b2c3d4e5f"]);
    expect(list.dependsOn.memberIds?.sort()).toEqual(["servicePrincipals", "users"]);
    for (const s of [people, robots]) {
      const { __provider: _p, ...inputs } = s.inputs;
      const { __provider: _q, ...expected } = s.outputs;
      const map = s.kind === "users" ? "users" : "servicePrincipals";
      const path = s.kind === "users" ? "Users" : "ServicePrincipals";
      const entries = expected[map] as Record<string, { id: string }>;
      // Made anew by the collection's own create (after removing the originals): the same outputs but the ids.
      for (const e of Object.values(entries)) expect((await c.ws("DELETE", `/${path}/${e.id}`)).status).toBe(204);
      const made = await storedLifecycle(s.kind).create(inputs as never);
      const outs = made.outs as unknown as Record<string, unknown>;
      const madeEntries = outs[map] as Record<string, { id: string }>;
      expect(Object.keys(madeEntries)).toEqual(Object.keys(entries));
      for (const [k, e] of Object.entries(madeEntries)) e.id = entries[k]!.id;
      expect(outs).toEqual(expected);
      expect((await storedLifecycle(s.kind).diff(s.id, s.outputs as never, s.inputs as never)).changes).toBe(false);
    }
  });
});
