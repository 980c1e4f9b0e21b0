// Issue 20: the identity resources' outputs are typed from their field tables (resources/common.ts FieldOutputs),
// none declared by hand. The type assertions are checked by `npm run typecheck` (a wrong type fails it); the
// runtime ones check that every typed output is a key the class registers, so none is typed but never set.
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Entitlement } from "../../../provider/client/types";
import { outputKeys, type Fields, type ReportedKey } from "../../../provider/lifecycle/fieldTypes";
import { GROUP_FIELDS } from "../../../provider/lifecycle/groupFields";
import { SERVICE_PRINCIPAL_FIELDS } from "../../../provider/lifecycle/servicePrincipalFields";
import { USER_FIELDS } from "../../../provider/lifecycle/userFields";
import type { FieldOutputs } from "../../../provider/resources/common";
import type { ScimGroup } from "../../../provider/resources/group";
import type { ScimServicePrincipal } from "../../../provider/resources/servicePrincipal";
import type { ScimUser } from "../../../provider/resources/user";

type Out<T> = pulumi.Output<T>;

describe("identity outputs typed from the field tables", () => {
  it("types each kind's outputs as the hand declarations did", () => {
    expectTypeOf<ScimUser["userName"]>().toEqualTypeOf<Out<string>>();
    expectTypeOf<ScimUser["givenName"]>().toEqualTypeOf<Out<string | undefined>>();
    expectTypeOf<ScimUser["active"]>().toEqualTypeOf<Out<boolean>>();
    expectTypeOf<ScimGroup["displayName"]>().toEqualTypeOf<Out<string>>();
    expectTypeOf<ScimGroup["externalId"]>().toEqualTypeOf<Out<string | undefined>>();
    expectTypeOf<ScimGroup["entitlements"]>().toEqualTypeOf<Out<Entitlement[] | undefined>>();
    expectTypeOf<ScimGroup["roles"]>().toEqualTypeOf<Out<string[]>>();
    expectTypeOf<ScimGroup["url"]>().toEqualTypeOf<Out<string>>();
    // Optional as an input, always there as an output: the program's, or the one Databricks made up (`generated`).
    expectTypeOf<ScimServicePrincipal["applicationId"]>().toEqualTypeOf<Out<string>>();
    expectTypeOf<ScimServicePrincipal["displayName"]>().toEqualTypeOf<Out<string | undefined>>();
    expectTypeOf<ScimServicePrincipal["active"]>().toEqualTypeOf<Out<boolean>>();
    // State-only fields are no outputs.
    expectTypeOf<ScimGroup>().not.toHaveProperty("workspaceLocal");
    expectTypeOf<ScimGroup>().not.toHaveProperty("adopt");
    expectTypeOf<ScimUser>().not.toHaveProperty("onDelete");
  });

  it("gives a field added to a table its output, of its type", () => {
    const WITH_NICKNAME = { ...GROUP_FIELDS, nickname: { type: "string", path: "nickname", reported: true } } as const satisfies Fields;
    expectTypeOf<FieldOutputs<typeof WITH_NICKNAME>["nickname"]>().toEqualTypeOf<Out<string | undefined>>();
    expect(Object.keys(outputKeys(WITH_NICKNAME))).toContain("nickname");
  });

  it("registers a key for every typed output (the keys are the table's reported fields)", () => {
    const keys = <F extends Fields>(f: F): ReportedKey<F>[] => Object.keys(outputKeys(f)) as ReportedKey<F>[];
    expect(keys(USER_FIELDS)).toEqual(["userName", "displayName", "givenName", "familyName", "externalId", "active", "entitlements", "roles"]);
    expect(keys(GROUP_FIELDS)).toEqual(["displayName", "externalId", "entitlements", "roles"]);
    expect(keys(SERVICE_PRINCIPAL_FIELDS)).toEqual(["applicationId", "displayName", "active", "externalId", "entitlements", "roles"]);
  });
});
