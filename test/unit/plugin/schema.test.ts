import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GROUP_FIELDS } from "../../../provider/lifecycle/groupFields";
import { SERVICE_PRINCIPAL_FIELDS } from "../../../provider/lifecycle/servicePrincipalFields";
import { USER_FIELDS } from "../../../provider/lifecycle/userFields";
import { fieldSpec } from "../../../provider/plugin/kinds";
import { buildSchema, type ResourceSpec } from "../../../provider/plugin/schema";
import { packageVersion } from "../../../provider/plugin/version";
import * as pkg from "../../../provider";
import type { FunctionSpec } from "../../../provider/plugin/invokes";

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

  it("serves every lookup the package exports as a function, each input and output described, lists by object type", () => {
    const lookups = Object.entries(pkg)
      .filter(([name, v]) => typeof v === "function" && /^(get|list)[A-Z]/.test(name))
      .map(([name]) => name)
      .sort();
    expect(lookups).toHaveLength(7);
    const functions = generated.functions as Record<string, FunctionSpec>;
    expect(Object.keys(functions).sort()).toEqual(lookups.map((n) => `databricks-scim:index:${n}`));
    const types = generated.types as Record<string, { properties: Record<string, { description?: string }>; required: string[] }>;
    for (const [token, f] of Object.entries(functions)) {
      expect(f.description, token).toMatch(/\w/);
      for (const [name, p] of [...Object.entries(f.inputs.properties), ...Object.entries(f.outputs.properties)]) {
        expect(p.description, `${token}.${name}`).toMatch(/\w/);
      }
      for (const name of f.outputs.required) expect(f.outputs.properties, `${token}: required ${name}`).toHaveProperty(name);
    }
    for (const [fn, key, type] of [
      ["listUsers", "users", "UserInfo"],
      ["listGroups", "groups", "GroupInfo"],
      ["listServicePrincipals", "servicePrincipals", "ServicePrincipalInfo"],
    ] as const) {
      const out = functions[`databricks-scim:index:${fn}`]?.outputs;
      expect(out?.properties[key]).toMatchObject({ type: "array", items: { $ref: `#/types/databricks-scim:index:${type}` } });
      const entry = types[`databricks-scim:index:${type}`];
      for (const [name, p] of Object.entries(entry?.properties ?? {})) expect(p.description, `${type}.${name}`).toMatch(/\w/);
      for (const name of entry?.required ?? []) expect(entry?.properties, `${type}: required ${name}`).toHaveProperty(name);
    }
  });
});
