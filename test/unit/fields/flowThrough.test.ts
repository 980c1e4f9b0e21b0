// Issue 20: the field tables are the single source of every identity kind's fields. A field added to each table
// (./addedField.ts, in the test) must flow through check, create (the POST), update (the PATCH), read (the GET's
// attributes and the outputs), refresh (the inputs kept), diff, the shared group read and the importer, with no
// edit anywhere else, so the next code that bypasses the tables fails here.
import { ADDED } from "./addedField";
import { describe, expect, it } from "vitest";
import { SCHEMA_GROUP, SCHEMA_PATCH_OP, SCHEMA_SERVICE_PRINCIPAL, SCHEMA_USER } from "../../../provider/client/types";
import { planImport } from "../../../provider/import/plan";
import type { Directory } from "../../../provider/import/model";
import type { DefinedLifecycle } from "../../../provider/lifecycle/define";
import { allReportedAttributes, serverValues } from "../../../provider/lifecycle/fields";
import { groupLifecycle, groupSnapshotAttributes } from "../../../provider/lifecycle/group";
import { GROUP_FIELDS } from "../../../provider/lifecycle/groupFields";
import { servicePrincipalLifecycle } from "../../../provider/lifecycle/servicePrincipal";
import { SERVICE_PRINCIPAL_FIELDS } from "../../../provider/lifecycle/servicePrincipalFields";
import { userLifecycle } from "../../../provider/lifecycle/user";
import type { TargetInputs } from "../../../provider/lifecycle/types";
import { USER_FIELDS } from "../../../provider/lifecycle/userFields";
import { withFixtures, WS } from "../fixtures/httpFixture";

const APP = "6e6b9f3c-0d5e-4a8e-9a63-1f2d3c4b5a69";
type Json = TargetInputs & Record<string, unknown>;
/** The kinds side by side: each is driven through plain JSON, as the engine drives it. */
const asAny = (d: unknown) => d as DefinedLifecycle<Json, Json>;

/** Per kind: what the program declares, the SCIM collection, the POST body without the field, the read's attributes. */
const KINDS = [
  {
    name: "ScimUser",
    defined: asAny(userLifecycle),
    fields: USER_FIELDS,
    collection: "Users",
    declared: { userName: "alice@example.com" },
    body: { schemas: [SCHEMA_USER], userName: "alice@example.com", active: true },
    read: "userName,displayName,name,externalId,active,entitlements,roles,nickname",
    probes: [],
  },
  {
    name: "ScimGroup",
    defined: asAny(groupLifecycle),
    fields: GROUP_FIELDS,
    collection: "Groups",
    declared: { displayName: "data-engineers" },
    body: { schemas: [SCHEMA_GROUP], displayName: "data-engineers" },
    // Refresh reads a group through the one read a run shares with its memberships.
    read: "displayName,externalId,entitlements,roles,nickname,members,meta",
    probes: [
      {
        method: "GET" as const,
        resource: '/api/2.0/account/scim/v2/Groups?attributes=id,displayName&count=100&filter=displayName eq "data-engineers"&startIndex=1',
        status: 404,
        response: { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], detail: "Endpoint not supported.", status: "404" },
      },
    ],
  },
  {
    name: "ScimServicePrincipal",
    defined: asAny(servicePrincipalLifecycle),
    fields: SERVICE_PRINCIPAL_FIELDS,
    collection: "ServicePrincipals",
    declared: { applicationId: APP },
    body: { schemas: [SCHEMA_SERVICE_PRINCIPAL], applicationId: APP, active: true },
    read: "applicationId,displayName,active,externalId,entitlements,roles,nickname",
    probes: [],
  },
];

describe.each(KINDS)("a field added to $name's table", (k) => {
  const url = `${WS}/${k.collection}`;

  it("is checked, sent by create, read back, kept by refresh, diffed and PATCHed", async () => {
    await withFixtures(
      k.defined,
      [
        ...k.probes,
        { method: "POST", resource: url, expectedRequest: { ...k.body, [ADDED]: "Al" }, status: 201, response: { id: "9", ...k.body, [ADDED]: "Al" } },
        { method: "GET", resource: `${url}/9?attributes=${k.read}`, response: { id: "9", ...k.body, [ADDED]: "Big Al" } },
        {
          method: "PATCH",
          resource: `${url}/9`,
          expectedRequest: { schemas: [SCHEMA_PATCH_OP], Operations: [{ op: "replace", path: ADDED, value: "Alfie" }] },
          status: 204,
        },
      ],
      async ({ lc, host }) => {
        const checked = await lc.check({}, { host, ...k.declared, [ADDED]: "Al" });
        expect(checked.failures).toBeUndefined();
        const inputs = checked.inputs as Json;
        expect(inputs[ADDED]).toBe("Al");

        const created = await lc.create(inputs);
        const outs = created.outs as Json;
        expect(outs[ADDED]).toBe("Al");
        expect(outs.managed).toContain(ADDED);

        // Refresh: what the server holds now is in the outputs and, being managed, in the inputs kept: drift.
        const refreshed = await lc.read("9", outs);
        const read = refreshed.props;
        if (!read) throw new Error("refresh found the object gone");
        expect(read[ADDED]).toBe("Big Al");
        expect(refreshed.inputs?.[ADDED]).toBe("Big Al");

        const news = { ...inputs, [ADDED]: "Alfie" };
        expect(await lc.diff("9", read, news)).not.toEqual(expect.objectContaining({ changes: false }));
        expect(await lc.diff("9", read, { ...inputs, [ADDED]: "Big Al" })).toEqual(expect.objectContaining({ changes: false }));
        const updated = await lc.update("9", read, news);
        expect((updated.outs as Json)[ADDED]).toBe("Alfie");
      },
    );
  });

  it("is left alone when the program omits it: reported, never sent, never a change", async () => {
    const withoutIt = { id: "9", ...k.body, [ADDED]: "Al" };
    await withFixtures(
      k.defined,
      [...k.probes, { method: "POST", resource: url, expectedRequest: k.body, status: 201, response: withoutIt }],
      async ({ lc, host }) => {
        const inputs = (await lc.check({}, { host, ...k.declared })).inputs as Json;
        const outs = (await lc.create(inputs)).outs as Json;
        expect(outs[ADDED]).toBe("Al");
        expect(outs.managed).not.toContain(ADDED);
        expect(await lc.diff("9", outs, inputs)).toEqual(expect.objectContaining({ changes: false }));
      },
    );
  });

  it("is read and written by the importer", () => {
    const level = "workspace";
    expect(allReportedAttributes(k.fields, level).split(",")).toContain(ADDED);
    expect(serverValues(k.fields, level, { ...k.body, [ADDED]: "Al" })[ADDED]).toBe("Al");
  });
});

describe("the importer's plan and the shared group read", () => {
  it("asks for the added field in the one group read a run shares", () => {
    expect(groupSnapshotAttributes("workspace").split(",")).toContain(ADDED);
    expect(groupSnapshotAttributes("account").split(",")).toContain(ADDED);
  });

  it("writes the added field into each imported resource's arguments", () => {
    const dir: Directory = {
      host: "http://127.0.0.1:1",
      level: "workspace",
      requests: 0,
      elapsedMs: 0,
      users: [{ id: "1", userName: "alice@example.com", active: true, entitlements: [], roles: [], [ADDED]: "Al" } as never],
      servicePrincipals: [{ id: "2", applicationId: APP, displayName: "ci", active: true, entitlements: [], roles: [], [ADDED]: "Ci" } as never],
      groups: [{ id: "3", displayName: "team", entitlements: [], roles: [], members: [], [ADDED]: "Team" } as never],
    };
    const plan = planImport(dir, { kinds: new Set(["users", "servicePrincipals", "groups", "memberships"]), memberships: "members", idpOwned: "include" });
    expect(plan.users[0]?.args[ADDED]).toBe("Al");
    expect(plan.servicePrincipals[0]?.args[ADDED]).toBe("Ci");
    expect(plan.groups[0]?.args[ADDED]).toBe("Team");
  });
});
