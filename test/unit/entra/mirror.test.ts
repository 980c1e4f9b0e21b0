/**
 * mirrorEntraGroups with pulumi.runtime.setMocks and the Graph emulator in-process (plain http, a credential that
 * asks its token endpoint): what is declared for each leaver policy, the names the resources get, and the
 * arguments refused before any Graph call.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphEmulator, type RunningGraphEmulator } from "../../../emulator/graph/index";
import type { MirrorEntraGroupsArgs } from "../../../provider/entra";
import { mirrorEntraGroups } from "../../../provider/entraMirror";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
let registered: Registered[] = [];
let emu: RunningGraphEmulator;
let tokenCalls = 0;

const credential: TokenCredential = {
  async getToken(scope: string | string[]): Promise<AccessToken> {
    tokenCalls++;
    const r = await fetch(`${emu.url}/${emu.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: emu.app.clientId, client_secret: emu.app.clientSecret, scope: String(scope) }),
    });
    const body = (await r.json()) as { access_token: string; expires_in: number };
    return { token: body.access_token, expiresOnTimestamp: Date.now() + body.expires_in * 1000 };
  },
};

beforeAll(async () => {
  emu = await startGraphEmulator({
    port: 0,
    tls: false,
    seed: {
      users: [
        { id: "a0000000-0000-4000-8000-000000000001", displayName: "Ann", userPrincipalName: "ann@contoso.com" },
        { id: "a0000000-0000-4000-8000-000000000002", displayName: "Bob", userPrincipalName: "bob@contoso.com", accountEnabled: false },
      ],
      groups: [
        { id: "c0000000-0000-4000-8000-000000000001", displayName: "Eng", members: ["ann@contoso.com", "Platform"] },
        { id: "c0000000-0000-4000-8000-000000000002", displayName: "Platform", members: ["bob@contoso.com"] },
      ],
    },
  });
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "entra",
    "test",
    false,
  );
});
afterAll(async () => {
  await emu?.close();
});

async function run(args: Partial<MirrorEntraGroupsArgs>): Promise<Registered[]> {
  registered = [];
  await mirrorEntraGroups("m", {
    groups: [{ entraGroup: "Eng", mode: "nested" }],
    host: "https://ws.example",
    checkExisting: false,
    graph: { url: emu.url, credential },
    ...args,
  });
  for (let i = 0; i < 100 && registered.filter((r) => r.type.endsWith("GroupMembers")).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  return registered;
}

describe("mirrorEntraGroups (mocked engine)", () => {
  it("declares users adopted by userName with the object id as externalId, named by userName, and a deactivating delete by default", async () => {
    const r = await run({});
    const users = r.filter((x) => x.type === "pulumi-nodejs:dynamic/scim:User");
    expect(users.map((u) => [u.name, u.inputs.userName, u.inputs.externalId, u.inputs.active, u.inputs.onDelete, u.inputs.adopt])).toEqual([
      ["m-user-ann@contoso.com", "ann@contoso.com", "a0000000-0000-4000-8000-000000000001", true, "deactivate", true],
      ["m-user-bob@contoso.com", "bob@contoso.com", "a0000000-0000-4000-8000-000000000002", false, "deactivate", true],
    ]);
    const groups = r.filter((x) => x.type === "pulumi-nodejs:dynamic/scim:Group");
    expect(groups.map((g) => [g.name, g.inputs.displayName, g.inputs.externalId])).toEqual([
      ["m-group-c0000000-0000-4000-8000-000000000001", "Eng", "c0000000-0000-4000-8000-000000000001"],
      ["m-group-c0000000-0000-4000-8000-000000000002", "Platform", "c0000000-0000-4000-8000-000000000002"],
    ]);
    expect(
      r
        .filter((x) => x.type.endsWith("GroupMembers"))
        .map((x) => x.name)
        .sort(),
    ).toEqual(["m-members-group-c0000000-0000-4000-8000-000000000001", "m-members-group-c0000000-0000-4000-8000-000000000002"]);
  });

  it('onLeave "delete" declares a deleting delete', async () => {
    const r = await run({ onLeave: "delete" });
    expect(r.filter((x) => x.type === "pulumi-nodejs:dynamic/scim:User").map((u) => u.inputs.onDelete)).toEqual(["delete", "delete"]);
  });

  it("refuses bad arguments before any Graph call", async () => {
    const before = tokenCalls;
    await expect(run({ groups: [] })).rejects.toThrow(/groups: list at least one Entra group/);
    await expect(run({ level: "account", groups: [{ entraGroup: "Eng", entitlements: ["workspace-access"] }] })).rejects.toThrow(
      /groups\[0\]\.entitlements: Databricks keeps entitlements per workspace/,
    );
    await expect(run({ groups: [{ entraGroup: "Eng", mode: "deep" as "nested" }] })).rejects.toThrow(/groups\[0\]\.mode: 'deep' is not a mode/);
    await expect(run({ onLeave: "forget" as "keep" })).rejects.toThrow(/onLeave: 'forget' is not a policy/);
    expect(tokenCalls).toBe(before);
  });
});
