import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { filter } from "../../provider/client";
import * as pkg from "../../provider";
import { getCurrentUser, getGroup, getServicePrincipal, getUser, listGroups, listServicePrincipals, listUsers } from "../../provider/lookups";
import { listResponse, startServer, WS, type Recorded, type TestServer } from "./client/helpers";

// Lookups run in the program's process: credentials come from the arguments, the stack config (read with
// pulumi.Config, since the provider's configure() never runs there) and the environment.
const CONFIG_TOKEN = "dapi-from-stack-config-0000";
const APP = "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10";

const USERS = [{ id: "1", userName: "Alice@Example.com", displayName: "Alice", active: true, entitlements: [{ value: "workspace-access" }] }];
const GROUPS = [{ id: "7", displayName: "eng", roles: [{ value: "r1" }], meta: { resourceType: "Group" } }];
const SPS = [
  { id: "3", applicationId: APP, displayName: "ci", active: true },
  { id: "4", applicationId: "00000000-0000-0000-0000-000000000004", displayName: "twin" },
  { id: "5", applicationId: "00000000-0000-0000-0000-000000000005", displayName: "twin" },
];

/** Answers list calls with every resource of the collection (the client picks the exact match), and /Me. */
function answer(req: Recorded) {
  const path = req.url.split("?")[0];
  if (path === `${WS}/Me`) return { status: 200, body: { id: "9", userName: APP, displayName: "deployer", active: true } };
  const all = path === `${WS}/Users` ? USERS : path === `${WS}/Groups` ? GROUPS : path === `${WS}/ServicePrincipals` ? SPS : undefined;
  if (!all) return { status: 404, body: {} };
  const f = new URL(req.url, "http://x").searchParams.get("filter") ?? "";
  const name = /"(.*)"/.exec(f)?.[1]?.toLowerCase();
  const hits = name ? all.filter((r) => Object.values(r).some((v) => typeof v === "string" && v.toLowerCase() === name)) : all;
  return { status: 200, body: listResponse(hits, 1, hits.length) };
}

let server: TestServer;
const saved = { ...process.env };
beforeAll(async () => {
  server = await startServer(answer);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
  process.env.HOME = "/nonexistent-home-for-tests";
  process.env.DATABRICKS_SCIM_PACING = "off";
  pulumi.runtime.setAllConfig({ "databricks-scim:host": server.url, "databricks-scim:token": CONFIG_TOKEN });
  server.requests.length = 0;
});
afterEach(() => {
  process.env = { ...saved };
  pulumi.runtime.setAllConfig({});
});

describe("lookups", () => {
  it("getUser finds a user case-insensitively with the stack config's host and token", async () => {
    const u = await getUser({ userName: "ALICE@example.COM" });
    expect(u).toEqual({
      id: "1",
      host: server.url,
      level: "workspace",
      userName: "alice@example.com",
      displayName: "Alice",
      active: true,
      entitlements: ["workspace-access"],
      roles: [],
      home: "/Users/alice@example.com",
      aclPrincipalId: "users/alice@example.com",
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${CONFIG_TOKEN}`);
    expect(JSON.stringify(u)).not.toContain(CONFIG_TOKEN);
  });

  it("names what was looked up when nothing is found", async () => {
    await expect(getUser({ userName: "bob@example.com" })).rejects.toThrow(
      `getUser: there is no user with userName 'bob@example.com' in ${server.url} (workspace level).`,
    );
    await expect(getGroup({ displayName: "nope" })).rejects.toThrow(/^getGroup: there is no group named 'nope'/);
    await expect(getServicePrincipal({ applicationId: "00000000-0000-0000-0000-0000000000ff" })).rejects.toThrow(/applicationId '00000000/);
  });

  it("throws errors a program can tell apart with the classes the package exports", async () => {
    const e = await getUser({ userName: "bob@example.com" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(pkg.LookupError);
    expect(e).toBeInstanceOf(pkg.DatabricksScimError);
    expect((e as InstanceType<typeof pkg.LookupError>).code).toBe("LOOKUP_NOT_FOUND");
  });

  it("getGroup reports url, aclPrincipalId, roles and whether it is an account group, never members", async () => {
    const g = await getGroup({ displayName: "eng" });
    expect(g).toMatchObject({ id: "7", aclPrincipalId: "groups/eng", url: `${server.url}${WS}/Groups/7`, roles: ["r1"], accountGroup: true });
    expect(g.entitlements).toEqual([]); // asked for, none held
    expect(server.requests[0]?.url).not.toContain("members");
  });

  it("getServicePrincipal by applicationId or by a unique displayName", async () => {
    expect(await getServicePrincipal({ applicationId: APP.toUpperCase() })).toMatchObject({ id: "3", aclPrincipalId: `servicePrincipals/${APP}` });
    expect((await getServicePrincipal({ displayName: "ci" })).applicationId).toBe(APP);
    await expect(getServicePrincipal({ displayName: "twin" })).rejects.toThrow(/2 service principals are named 'twin'.*by applicationId/);
  });

  it("list* send a built filter or a raw one, and return plain objects", async () => {
    expect((await listGroups({ filter: filter.sw("displayName", "eng") })).map((g) => g.id)).toEqual(["7"]);
    expect(server.requests[0]?.url).toContain("filter=displayName%20sw%20%22eng%22");
    const users = await listUsers({ filter: 'userName eq "alice@example.com"' });
    expect(users[0]).not.toHaveProperty("entitlements"); // not read by list* (Databricks computes them per principal)
    expect(server.requests[1]?.url).toContain("filter=userName%20eq%20%22alice%40example.com%22");
    expect((await listServicePrincipals()).map((s) => s.id)).toEqual(["3", "4", "5"]);
  });

  it("bad targets in the arguments fail, naming the field", async () => {
    await expect(getUser({ userName: "a@b.co", host: "http://example.com" })).rejects.toThrow(/^getUser: host: .*plain http/);
    await expect(listUsers({ level: "account", host: "https://accounts.cloud.databricks.com" })).rejects.toThrow(/accountId: is required/);
  });

  it("getCurrentUser recognises a service principal and refuses account hosts", async () => {
    expect(await getCurrentUser()).toEqual({
      id: "9",
      userName: APP,
      displayName: "deployer",
      active: true,
      isServicePrincipal: true,
      home: `/Users/${APP}`,
      aclPrincipalId: `servicePrincipals/${APP}`,
      host: server.url,
    });
    process.env.DATABRICKS_ACCOUNT_ID = "acc-1";
    await expect(getCurrentUser({ host: "https://accounts.cloud.databricks.com" })).rejects.toThrow(/has no \/Me/);
  });
});
