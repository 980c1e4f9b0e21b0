// What the mirror takes from its stack's last snapshot (the engine's readStackResourceOutputs answer): its own
// users and service principals only, by Entra object id, and whether each was in a mirrored group's member list.
import { describe, expect, it } from "vitest";
import { fromSnapshot } from "../../../provider/entra/previous";

const P = "urn:pulumi:s::p::databricks-scim:entra:EntraGroupMirror$";
const user = (name: string, outputs: Record<string, unknown>) => [
  `${P}pulumi-nodejs:dynamic/scim:User::${name}`,
  { type: "pulumi-nodejs:dynamic/scim:User", outputs },
];

describe("fromSnapshot", () => {
  it("keeps this mirror's users and service principals (object-id names too), marks who was in no group", () => {
    const snapshot = Object.fromEntries([
      user("entra-user-ann@contoso.com", { userName: "ann@contoso.com", externalId: "id-ann", displayName: "Ann", active: true }),
      user("entra-user-id-eve", { userName: "eve@contoso.com", externalId: "id-eve", active: false }),
      user("other-user-joe@contoso.com", { userName: "joe@contoso.com", externalId: "id-joe", active: true }),
      user("entra-user-x@contoso.com", { userName: "x@contoso.com", active: true }),
      [
        `urn:pulumi:s::p::pulumi-nodejs:dynamic/scim:User::entra-user-top@contoso.com`,
        { type: "pulumi-nodejs:dynamic/scim:User", outputs: { userName: "top@contoso.com", externalId: "id-top" } },
      ],
      [
        `${P}pulumi-nodejs:dynamic/scim:ServicePrincipal::entra-sp-id-etl`,
        { type: "pulumi-nodejs:dynamic/scim:ServicePrincipal", outputs: { applicationId: "app-1", externalId: "id-etl", active: true } },
      ],
      [
        `${P}pulumi-nodejs:dynamic/scim:GroupMembers::entra-members-flat-g`,
        { type: "pulumi-nodejs:dynamic/scim:GroupMembers", outputs: { members: { "Ann@contoso.com": "1", "app-1": "2" } } },
      ],
    ]);
    const prev = fromSnapshot("entra", snapshot);
    expect([...prev.users.values()]).toEqual([
      { entraId: "id-ann", userName: "ann@contoso.com", displayName: "Ann", active: true, left: false, resourceName: "entra-user-ann@contoso.com" },
      { entraId: "id-eve", userName: "eve@contoso.com", active: false, left: true, resourceName: "entra-user-id-eve" },
    ]);
    expect([...prev.servicePrincipals.values()]).toEqual([{ entraId: "id-etl", applicationId: "app-1", active: true, left: false }]);
  });
});
