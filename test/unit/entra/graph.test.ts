// The Graph reader against the local Graph emulator over real HTTPS: paging, casts left to the client,
// Retry-After, the permission named in errors, and the credential @azure/identity builds.
import { ClientSecretCredential } from "@azure/identity";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphEmulator, type RunningGraphEmulator } from "../../../emulator/graph/index";
import { EntraDirectory } from "../../../provider/entra/directory";
import { GraphClient } from "../../../provider/entra/graphClient";

let emu: RunningGraphEmulator;
let agent: Agent;

const APP_ID = "9a8b7c6d-0000-4000-8000-000000000001";

beforeAll(async () => {
  emu = await startGraphEmulator({
    port: 0,
    seed: {
      users: [
        { displayName: "Ann", userPrincipalName: "ann@contoso.com", mail: "ann@contoso.com" },
        { displayName: "Bob", userPrincipalName: "bob@contoso.com", accountEnabled: false },
        { displayName: "Gus", userPrincipalName: "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com", mail: "gus@fabrikam.com", userType: "Guest" },
      ],
      servicePrincipals: [{ displayName: "etl-bot", appId: APP_ID }],
      devices: [{ displayName: "LAPTOP-7" }],
      groups: [
        { displayName: "Data", members: ["Eng", "ann@contoso.com", "LAPTOP-7"] },
        { displayName: "Eng", members: ["bob@contoso.com", "etl-bot", "Platform"] },
        { displayName: "Platform", members: ["ann@contoso.com", "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com"] },
        { displayName: "Twin" },
        { displayName: "Twin" },
      ],
      generate: [{ group: "Big", count: 2500, prefix: "big", domain: "example.com" }],
    },
  });
  agent = new Agent({ connect: { ca: emu.ca } });
});
afterAll(async () => {
  await agent?.close();
  await emu?.close();
});

function client(sleeps: number[] = []): GraphClient {
  const credential = new ClientSecretCredential(emu.tenantId, emu.app.clientId, emu.app.clientSecret, {
    authorityHost: emu.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: emu.ca },
  } as ConstructorParameters<typeof ClientSecretCredential>[3]);
  return new GraphClient({
    baseUrl: emu.url,
    credential,
    credentialSource: "test app",
    dispatcher: agent,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

async function admin(method: string, path: string, body?: unknown): Promise<void> {
  const r = await fetch(`${emu.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: agent,
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
}

describe("EntraDirectory over the Graph emulator", () => {
  it("finds a group by name and by id; names the problem when none or two match", async () => {
    const dir = new EntraDirectory(client());
    const data = await dir.group("Data");
    expect(data.displayName).toBe("Data");
    expect((await dir.group(data.id)).displayName).toBe("Data");
    expect((await dir.group({ displayName: "data" })).id).toBe(data.id);
    await expect(dir.group("Nope")).rejects.toThrow(/no Entra group is named 'Nope'/);
    await expect(dir.group("Twin")).rejects.toThrow(/2 Entra groups are named 'Twin' .* Give the object id instead/);
    await expect(dir.group("00000000-0000-4000-8000-000000000000")).rejects.toThrow(/no Entra group has object id 00000000-0000-4000-8000-000000000000/);
  });

  it("transitive members: users, guests, disabled accounts and service principals, each once, devices marked other", async () => {
    const dir = new EntraDirectory(client());
    const members = await dir.transitiveMembers(await dir.group("Data"));
    const byKind = (k: string) =>
      members
        .filter((m) => m.kind === k)
        .map((m) => (m.kind === "user" ? m.userPrincipalName : m.kind === "servicePrincipal" ? m.appId : m.kind === "group" ? m.displayName : m.id));
    expect(byKind("user").sort()).toEqual(["ann@contoso.com", "bob@contoso.com", "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com"]);
    expect(byKind("servicePrincipal")).toEqual([APP_ID]);
    expect(byKind("group").sort()).toEqual(["Eng", "Platform"]);
    expect(members.filter((m) => m.kind === "other")).toHaveLength(1);
    const bob = members.find((m) => m.kind === "user" && m.userPrincipalName === "bob@contoso.com");
    expect(bob).toMatchObject({ accountEnabled: false });
  });

  it("direct members come from /beta, which lists service principals (v1.0 leaves them out)", async () => {
    const dir = new EntraDirectory(client());
    const eng = await dir.members(await dir.group("Eng"));
    expect(eng.map((m) => m.kind).sort()).toEqual(["group", "servicePrincipal", "user"]);
    const v1 = await new EntraDirectory(client(), { directMembersVersion: "v1.0" }).members(await dir.group("Eng"));
    expect(v1.map((m) => m.kind).sort()).toEqual(["group", "user"]);
  });

  it("pages through @odata.nextLink: 2,500 members in 3 pages of up to 999", async () => {
    await admin("POST", "/__emulator/reset-stats");
    const graph = client();
    const dir = new EntraDirectory(graph);
    const members = await dir.transitiveMembers(await dir.group("Big"));
    expect(members).toHaveLength(2500);
    expect(new Set(members.map((m) => m.id)).size).toBe(2500);
    expect(graph.stats).toMatchObject({ requests: 4, pages: 4, retries: 0 }); // 1 name lookup + 3 member pages
  });

  it("waits Retry-After on 429 (and 503) and then succeeds", async () => {
    await admin("POST", "/__emulator/throttle", { next: 2, retryAfterSeconds: 3 });
    const sleeps: number[] = [];
    const graph = client(sleeps);
    await new EntraDirectory(graph).group("Data");
    expect(sleeps).toEqual([3000, 3000]);
    expect(graph.stats).toMatchObject({ throttled: 2, retries: 2, requests: 3 });
    await admin("POST", "/__emulator/throttle", { unavailable: 1, retryAfterSeconds: 2 });
    const s2: number[] = [];
    await new EntraDirectory(client(s2)).group("Data");
    expect(s2).toEqual([2000]);
    await admin("DELETE", "/__emulator/throttle");
  });

  it("names the Graph permission that is missing: 403 on groups, limited users, limited service principals", async () => {
    await admin("PATCH", `/__emulator/apps/${emu.app.clientId}`, { permissions: ["User.Read.All"] });
    await expect(new EntraDirectory(client()).group("Data")).rejects.toThrow(
      /refused to read groups named 'Data': 403 Authorization_RequestDenied.*Grant the application the Microsoft Graph application permission GroupMember\.Read\.All/,
    );
    await admin("PATCH", `/__emulator/apps/${emu.app.clientId}`, { permissions: ["GroupMember.Read.All", "Application.Read.All"] });
    const dir = new EntraDirectory(client());
    await expect(dir.transitiveMembers(await dir.group("Platform"))).rejects.toThrow(
      /a user Microsoft Graph shows without its properties\. Grant .* User\.Read\.All/,
    );
    await admin("PATCH", `/__emulator/apps/${emu.app.clientId}`, { permissions: ["GroupMember.Read.All", "User.Read.All"] });
    const dir2 = new EntraDirectory(client());
    await expect(dir2.transitiveMembers(await dir2.group("Eng"))).rejects.toThrow(
      /service principal Microsoft Graph shows without its appId\. Grant .* Application\.Read\.All/,
    );
    await admin("PATCH", `/__emulator/apps/${emu.app.clientId}`, { permissions: ["GroupMember.Read.All", "User.Read.All", "Application.Read.All"] });
  });

  it("a bad client secret fails with where the credential came from, never the secret", async () => {
    const credential = new ClientSecretCredential(emu.tenantId, emu.app.clientId, "wrong-secret-value", {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emu.ca },
    } as ConstructorParameters<typeof ClientSecretCredential>[3]);
    const graph = new GraphClient({
      baseUrl: emu.url,
      credential,
      credentialSource: "client secret (ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID)",
      dispatcher: agent,
    });
    const err = await new EntraDirectory(graph).group("Data").catch((e: Error) => e);
    expect(String(err)).toMatch(/cannot get a token for https:\/\/graph\.microsoft\.com\/\.default \(credentials: client secret \(ARM_CLIENT_ID/);
    expect(String(err)).not.toContain("wrong-secret-value");
  });

  it("Graph down: unreachable, or answering 503 after every retry, says what to check", async () => {
    const credential = new ClientSecretCredential(emu.tenantId, emu.app.clientId, emu.app.clientSecret, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emu.ca },
    } as ConstructorParameters<typeof ClientSecretCredential>[3]);
    const closed = new GraphClient({
      baseUrl: "https://127.0.0.1:9",
      credential,
      credentialSource: "test app",
      dispatcher: agent,
      maxRetries: 2,
      sleep: async () => {},
    });
    await expect(new EntraDirectory(closed).group("Data")).rejects.toThrow(
      /^Microsoft Graph: groups named 'Data': .*ECONNREFUSED.* \(after 3 attempts\)\. Check that Graph answers at https:\/\/127\.0\.0\.1:9 from this machine \(graph\.url or DATABRICKS_SCIM_GRAPH_URL; default https:\/\/graph\.microsoft\.com\), then run again\.$/,
    );
    await admin("POST", "/__emulator/throttle", { unavailable: 3, retryAfterSeconds: 0 });
    const busy = new GraphClient({ baseUrl: emu.url, credential, credentialSource: "test app", dispatcher: agent, maxRetries: 2, sleep: async () => {} });
    await expect(new EntraDirectory(busy).group("Data")).rejects.toThrow(/: 503 .*\(after 3 attempts\)\. Graph is failing on its side: run again later\.$/);
    await admin("DELETE", "/__emulator/throttle");
  });
});
