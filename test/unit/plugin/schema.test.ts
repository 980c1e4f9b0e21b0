import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GROUP_FIELDS } from "../../../provider/lifecycle/groupFields";
import { SERVICE_PRINCIPAL_FIELDS } from "../../../provider/lifecycle/servicePrincipalFields";
import { USER_FIELDS } from "../../../provider/lifecycle/userFields";
import { fieldSpec } from "../../../provider/plugin/kinds";
import { buildSchema, type ResourceSpec } from "../../../provider/plugin/schema";
import { packageVersion } from "../../../provider/plugin/version";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const generated = buildSchema(packageVersion());
const resources = generated.resources as Record<string, ResourceSpec>;

describe("the provider plugin's schema", () => {
  it("is committed as generated (run `npm run schema` after changing a field table)", () => {
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8")) as unknown;
    expect(committed).toEqual(generated);
  });

  it("has every resource kind under its databricks-scim:index token", () => {
    expect(Object.keys(resources).sort()).toEqual(
      [
        "Group",
        "GroupMembers",
        "GroupMembership",
        "ServicePrincipal",
        "ServicePrincipals",
        "User",
        "Users",
        "WorkspaceAssignment",
        "WorkspaceEntitlements",
      ].map((n) => `databricks-scim:index:${n}`),
    );
  });

  it("takes each kind's inputs from its field table, each with a description", () => {
    for (const [token, table] of [
      ["User", USER_FIELDS],
      ["Group", GROUP_FIELDS],
      ["ServicePrincipal", SERVICE_PRINCIPAL_FIELDS],
    ] as const) {
      const spec = resources[`databricks-scim:index:${token}`] as ResourceSpec;
      for (const name of Object.keys(table)) {
        expect(spec.inputProperties[name]?.description, `${token}.${name}`).toMatch(/\w/);
      }
      expect(Object.keys(spec.inputProperties)).toEqual(expect.arrayContaining(["host", "level", "accountId", "connection"]));
    }
    const user = resources["databricks-scim:index:User"] as ResourceSpec;
    expect(user.requiredInputs).toEqual(["userName"]);
    expect(user.inputProperties.userName?.willReplaceOnChanges).toBe(true);
    expect(user.inputProperties.entitlements).toMatchObject({ type: "array", items: { type: "string" } });
  });

  it("gives the collections a map of entries whose fields are the per-identity table's but the key, with the SCIM id in the outputs", () => {
    const types = generated.types as Record<
      string,
      { properties: Record<string, { description?: string; willReplaceOnChanges?: boolean }>; required?: string[] }
    >;
    for (const [token, mapKey, keyField, table] of [
      ["Users", "users", "userName", USER_FIELDS],
      ["ServicePrincipals", "servicePrincipals", "applicationId", SERVICE_PRINCIPAL_FIELDS],
    ] as const) {
      const spec = resources[`databricks-scim:index:${token}`] as ResourceSpec;
      expect(spec.requiredInputs).toEqual([mapKey]);
      expect(spec.inputProperties[mapKey]?.additionalProperties?.$ref).toBe(`#/types/databricks-scim:index:${token}Entry`);
      expect(spec.properties[mapKey]?.additionalProperties?.$ref).toBe(`#/types/databricks-scim:index:${token}EntryOutput`);
      const entry = types[`databricks-scim:index:${token}Entry`];
      expect(Object.keys(entry?.properties ?? {})).toEqual(Object.keys(table).filter((f) => f !== keyField));
      // A field that cannot change in place makes that identity anew, never the whole collection.
      expect(Object.values(entry?.properties ?? {}).filter((p) => p.willReplaceOnChanges)).toEqual([]);
      const output = types[`databricks-scim:index:${token}EntryOutput`];
      expect(Object.keys(output?.properties ?? {})).toEqual(["id", ...Object.keys(table).filter((f) => f !== keyField)]);
      expect(output?.required).toEqual(["id"]);
    }
  });

  it("marks the provider's credentials secret", () => {
    const provider = generated.provider as { inputProperties: Record<string, { secret?: boolean }> };
    const secret = Object.entries(provider.inputProperties)
      .filter(([, p]) => p.secret)
      .map(([k]) => k);
    expect(secret).toEqual(["token", "clientSecret", "azureClientSecret"]);
  });

  it("refuses a field with no description, naming it and the fix", () => {
    expect(() => fieldSpec("nickName", { type: "string", path: "nickName" })).toThrow(
      /field 'nickName' has no description: add one to FIELD_DOCS .*npm run schema/,
    );
  });
});
