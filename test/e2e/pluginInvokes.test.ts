/**
 * The provider plugin's functions (the lookups as invokes) through the real engine: a program calls each by its
 * token, as every language's SDK does, the `pulumi` CLI finds the plugin on PATH, and the plugin answers from the
 * emulator process with the provider's configuration (stack config, secret token). Each result is compared with
 * what the TypeScript lookup (the other front door to the same code) answers in this process, and with the schema
 * the SDKs are generated from; the refusals name what was looked up.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCurrentUser, getServicePrincipal, listGroups, listServicePrincipals, listUsers } from "../../provider/lookups";
import type { FunctionSpec } from "../../provider/plugin/invokes";
import { buildSchema } from "../../provider/plugin/schema";
import { packageVersion } from "../../provider/plugin/version";
import { pluginBinDir } from "../../scripts/pluginBin";
import type { PluginSpec } from "../programs/pluginResources";
import { REPO, expectOk, output, runStack, scim, startEmulator, workDir, type RunningEmulator, type StackRun } from "./harness";

const PROGRAM = path.join(REPO, "dist", "test", "programs", "pluginResources.js");
const CI_APP = "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10";
const ACCOUNTS = "https://accounts.cloud.databricks.com";

let emu: RunningEmulator;
let run: StackRun;

const schema = buildSchema(packageVersion());
const functions = schema.functions as Record<string, FunctionSpec>;
const types = schema.types as Record<string, { properties: Record<string, unknown>; required: string[] }>;

const invokes: NonNullable<PluginSpec["invokes"]> = [
  { name: "allUsers", fn: "listUsers", args: {} },
  { name: "alice", fn: "listUsers", args: { filter: 'userName eq "alice@example.com"' } },
  { name: "engGroups", fn: "listGroups", args: { filter: 'displayName sw "eng-"' } },
  { name: "servicePrincipals", fn: "listServicePrincipals", args: {} },
  { name: "me", fn: "getCurrentUser", args: {} },
  { name: "ciByName", fn: "getServicePrincipal", args: { displayName: "ci" } },
  { name: "noUser", fn: "getUser", args: { userName: "nobody@example.com" } },
  { name: "noGroup", fn: "getGroup", args: { displayName: "no-such-group" } },
  { name: "noSpById", fn: "getServicePrincipal", args: { applicationId: "00000000-0000-0000-0000-0000000000ff" } },
  { name: "noSpByName", fn: "getServicePrincipal", args: { displayName: "nobody" } },
  { name: "twin", fn: "getServicePrincipal", args: { displayName: "twin" } },
  { name: "spNoKey", fn: "getServicePrincipal", args: {} },
  { name: "meAtAccount", fn: "getCurrentUser", args: { host: ACCOUNTS } },
];

function result(name: string): Record<string, unknown> {
  const outs = run.result?.outputs as Record<string, { value: Record<string, unknown> }> | undefined;
  const r = outs?.[`invoke:${name}`]?.value;
  expect(r, `invoke:${name} in ${JSON.stringify(outs)}`).toBeDefined();
  return r as Record<string, unknown>;
}

/** A result holds only what the schema declares, and everything it marks required. */
function expectShape(value: object, properties: Record<string, unknown>, required: string[], what: string): void {
  for (const key of Object.keys(value)) expect(properties, `${what}: '${key}' is not in the schema`).toHaveProperty(key);
  for (const key of required) expect(value, `${what}: required '${key}' missing`).toHaveProperty(key);
}

function expectListShape(fn: string, key: string, type: string): void {
  const spec = functions[`databricks-scim:index:${fn}`] as FunctionSpec;
  const out = result(invokes.find((i) => i.fn === fn)?.name as string);
  expectShape(out, spec.outputs.properties, spec.outputs.required, fn);
  const entry = types[`databricks-scim:index:${type}`] as { properties: Record<string, unknown>; required: string[] };
  for (const e of out[key] as object[]) expectShape(e, entry.properties, entry.required, type);
}

beforeAll(async () => {
  emu = await startEmulator();
  const post = async (resource: string, body: Record<string, unknown>) => expect((await scim(emu, "POST", `/${resource}`, body)).status).toBe(201);
  await post("Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "alice@example.com",
    displayName: "Alice",
    externalId: "ext-alice",
  });
  await post("Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bob@example.com" });
  for (const displayName of ["eng-a", "eng-b", "ops"]) await post("Groups", { displayName });
  await post("ServicePrincipals", { applicationId: CI_APP, displayName: "ci" });
  await post("ServicePrincipals", { displayName: "twin" });
  await post("ServicePrincipals", { displayName: "twin" });

  const dir = workDir("plugin-invokes");
  run = await runStack("up", {
    workDir: dir,
    program: PROGRAM,
    env: { PATH: [pluginBinDir(dir), process.env.PATH ?? ""].join(path.delimiter) },
    config: { "databricks-scim:host": emu.url, spec: JSON.stringify({ resources: [], invokes } satisfies PluginSpec) },
    secrets: { "databricks-scim:token": emu.tokens.admin },
  });
  // The TypeScript lookups in this process, with the same stack configuration as the provider's.
  pulumi.runtime.setAllConfig({ "databricks-scim:host": emu.url, "databricks-scim:token": emu.tokens.admin }, ["databricks-scim:token"]);
}, 300_000);

afterAll(async () => {
  pulumi.runtime.setAllConfig({});
  await emu?.stop();
});

describe("the plugin's functions (the lookups as invokes) through the real pulumi CLI", () => {
  it("the program's up succeeds and the provider's token is in no output", () => {
    expectOk(run);
    expect(output(run)).not.toContain(emu.tokens.admin);
    expect(JSON.stringify(run.result?.outputs)).not.toContain(emu.tokens.admin);
  });

  it("listUsers: every user, or those a SCIM filter selects, as the TypeScript lookup lists them", async () => {
    const all = result("allUsers").users as { userName: string }[];
    expect(all.map((u) => u.userName)).toEqual(expect.arrayContaining(["alice@example.com", "bob@example.com"]));
    expect(all).toEqual(await listUsers());
    expect(result("alice")).toEqual({
      users: [
        {
          id: expect.stringMatching(/^\d+$/),
          host: emu.url,
          level: "workspace",
          userName: "alice@example.com",
          displayName: "Alice",
          active: true,
          externalId: "ext-alice",
          roles: [],
          home: "/Users/alice@example.com",
          aclPrincipalId: "users/alice@example.com",
        },
      ],
    });
    expectListShape("listUsers", "users", "UserInfo");
  });

  it("listGroups: the groups a filter selects, with their SCIM URLs", async () => {
    const groups = result("engGroups").groups as { displayName: string; url: string; id: string; accountGroup: boolean }[];
    expect(groups.map((g) => g.displayName).sort()).toEqual(["eng-a", "eng-b"]);
    for (const g of groups) {
      expect(g.url).toBe(`${emu.url}/api/2.0/preview/scim/v2/Groups/${g.id}`);
      expect(g.accountGroup).toBe(false);
    }
    expect(groups).toEqual(await listGroups({ filter: 'displayName sw "eng-"' }));
    expectListShape("listGroups", "groups", "GroupInfo");
  });

  it("listServicePrincipals: every service principal, and getServicePrincipal by displayName finds the one so named", async () => {
    const sps = result("servicePrincipals").servicePrincipals as { displayName?: string; applicationId: string }[];
    expect(sps.map((s) => s.displayName).sort()).toEqual(["ci", "twin", "twin"]);
    expect(sps).toEqual(await listServicePrincipals());
    expectListShape("listServicePrincipals", "servicePrincipals", "ServicePrincipalInfo");

    const ci = result("ciByName");
    expect(ci).toMatchObject({ applicationId: CI_APP, displayName: "ci", home: `/Users/${CI_APP}`, aclPrincipalId: `servicePrincipals/${CI_APP}` });
    expect(ci).toEqual(await getServicePrincipal({ displayName: "ci" }));
    const spec = functions["databricks-scim:index:getServicePrincipal"] as FunctionSpec;
    expectShape(ci, spec.outputs.properties, spec.outputs.required, "getServicePrincipal");
  });

  it("getCurrentUser: who the provider's token belongs to, as /Me says", async () => {
    const me = await scim<{ id: string; userName: string }>(emu, "GET", "/Me");
    const got = result("me");
    expect(got).toMatchObject({
      id: me.body.id,
      userName: me.body.userName.toLowerCase(),
      isServicePrincipal: false,
      host: emu.url,
      home: `/Users/${me.body.userName.toLowerCase()}`,
    });
    expect(got).toEqual(await getCurrentUser());
    const spec = functions["databricks-scim:index:getCurrentUser"] as FunctionSpec;
    expectShape(got, spec.outputs.properties, spec.outputs.required, "getCurrentUser");
  });

  it("a lookup that finds nothing fails the call with a message naming what was looked up, where", () => {
    const where = `in ${emu.url} (workspace level)`;
    const refusals: [string, string][] = [
      ["noUser", `getUser: there is no user with userName 'nobody@example.com' ${where}`],
      ["noGroup", `getGroup: there is no group named 'no-such-group' ${where}`],
      ["noSpById", `getServicePrincipal: there is no service principal with applicationId '00000000-0000-0000-0000-0000000000ff' ${where}`],
      ["noSpByName", `getServicePrincipal: there is no service principal named 'nobody' ${where}`],
      ["twin", `getServicePrincipal: 2 service principals are named 'twin' in ${emu.url}`],
      ["spNoKey", "getServicePrincipal: pass applicationId (or displayName"],
      // An account console (the provider has no accountId): the target is refused first, naming the setting.
      ["meAtAccount", `getCurrentUser: no usable Databricks target: account_id is required for the account-level host ${ACCOUNTS}: set accountId`],
    ];
    for (const [name, message] of refusals) {
      const r = result(name);
      expect(Object.keys(r), name).toEqual(["error"]);
      expect(r.error, name).toContain(message);
    }
    expect(result("twin").error).toContain("look it up by applicationId instead");
    // As the engine reports a failed invoke: the function's token, then the lookup's message.
    expect(result("noUser").error).toMatch(/^invocation of databricks-scim:index:getUser returned an error: getUser: /);
  });
});
