/**
 * The state the importer writes must be what `pulumi up` would record: for each kind, the outputs stateOf.ts
 * derives for an object read from the emulator equal what the lifecycle's own `create` returns for the same
 * inputs, and the lifecycle's `diff` of that state against the inputs is empty.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScimClient, staticToken } from "../../../provider/client";
import { planImport } from "../../../provider/import/plan";
import { KINDS, readDirectory, type Kind } from "../../../provider/import/read";
import { statesOf } from "../../../provider/import/stateOf";
import { lifecycle } from "../../../provider/runtime";
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
    expect((await lifecycle("groupMembers").create(listInputs as never)).outs).toEqual(listOutputs);
    const paths = { user: "Users", group: "Groups", servicePrincipal: "ServicePrincipals" } as const;
    const identities = states.filter((s) => s.kind in paths && (s.name === "user:a@x.com" || s.name === "group:g1" || s.name.startsWith("sp:")));
    expect(identities.map((s) => s.kind).sort()).toEqual(["group", "servicePrincipal", "user"]);
    for (const s of identities) {
      const { __provider: _p, ...inputs } = s.inputs;
      const { __provider: _q, ...expected } = s.outputs;
      // The same object made anew by the provider's create (after removing the original) yields the same outputs.
      expect((await c.ws("DELETE", `/${paths[s.kind as keyof typeof paths]}/${s.id}`)).status).toBe(204);
      const made = await lifecycle(s.kind).create(inputs as never);
      const outs = made.outs as unknown as Record<string, unknown>;
      if (typeof outs.url === "string") outs.url = outs.url.replace(made.id, s.id);
      expect(outs).toEqual(expected);
    }
    const members = states.find((s) => s.kind === "groupMembers")!;
    expect(members.dependsOn.memberIds?.length).toBe(2);
    expect(JSON.stringify(states)).not.toContain(c.emu.tokens.admin);
  });
});
