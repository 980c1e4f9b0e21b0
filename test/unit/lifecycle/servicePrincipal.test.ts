import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../provider/lifecycle/check";
import {
  servicePrincipalLifecycle as spDefined,
  type ServicePrincipalInputs,
  type ServicePrincipalOutputs,
} from "../../../provider/lifecycle/servicePrincipal";
import { defined, failureOf, listResponse, opsOf, useCleanEnv, useStubWorkspaces, WS } from "./helpers";
import { testContexts, testSession } from "./testSession";

// The lifecycle as the provider process runs it: bound to a fresh provider session per test (./testSession.ts).
const sp = spDefined.bind(testContexts);

useCleanEnv(); // DATABRICKS_HOST is an Azure workspace
const check = (news: Record<string, unknown>) => sp.check({}, news);
const APP = "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10";
const AWS = "https://dbc-1234.cloud.databricks.com";
const GCP = "https://1234.5.gcp.databricks.com";

/** A loopback host whose /.well-known/databricks-config names `cloud` (undefined: 404, no metadata). */
async function metadataHost(cloud: string | undefined): Promise<{ host: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === "/.well-known/databricks-config" && cloud) {
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ cloud, host_type: "workspace", workspace_id: "1" }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("ScimServicePrincipal check and the cloud the host's metadata names", () => {
  it.each([
    ["AWS", "Databricks generates the application id on HOST (AWS, as its /.well-known/databricks-config says) and does not accept one"],
    ["GCP", "(GCP, as its /.well-known/databricks-config says)"],
  ])("%s: an applicationId is refused at check, on a host whose name says nothing (loopback)", async (cloud, text) => {
    const m = await metadataHost(cloud);
    try {
      const r = await check({ host: m.host, applicationId: APP, displayName: "ci" });
      expect(failureOf(r.failures, "applicationId")).toContain(text.replace("HOST", m.host));
      expect((await check({ host: m.host, displayName: "ci" })).failures).toBeUndefined();
    } finally {
      await m.close();
    }
  });

  it("AZURE, or no metadata: an applicationId is taken (Entra ID-managed), as on loopback before", async () => {
    for (const cloud of ["AZURE", undefined]) {
      const m = await metadataHost(cloud);
      try {
        const r = await check({ host: m.host, applicationId: APP, displayName: "ci" });
        expect(r.failures, String(cloud)).toBeUndefined();
        expect(r.inputs?.applicationId).toBe(APP);
      } finally {
        await m.close();
      }
    }
  });
});

describe("ScimServicePrincipal check", () => {
  it("on Azure takes the Entra app id, lower-cased, and fills defaults", async () => {
    const r = await check({ applicationId: ` ${APP.toUpperCase()} `, roles: ["r"] });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({
      host: "https://adb-1.2.azuredatabricks.net",
      level: "workspace",
      applicationId: APP,
      active: true,
      onDelete: "delete",
      adopt: false,
      roles: ["r"],
    });
  });

  it.each([
    // Issue 24: a missing applicationId on Azure is a Databricks-managed SP (no longer refused); its displayName is required.
    [{}, "displayName", "is required when Databricks generates the application id"],
    [{ applicationId: "my-app" }, "applicationId", "'my-app' is not an application id"],
    [{ applicationId: 42 }, "applicationId", "number 42 is not an application id"],
    [{ host: AWS, applicationId: APP, displayName: "ci" }, "applicationId", "Databricks generates the application id"],
    [{ host: GCP, applicationId: APP, displayName: "ci" }, "applicationId", "Remove applicationId"],
    [{ host: AWS }, "displayName", "is required when Databricks generates the application id"],
    [{ applicationId: APP, active: 1 }, "active", "expected true or false"],
    [{ applicationId: APP, onDelete: "keep" }, "onDelete", "'keep' is not allowed"],
    [{ applicationId: APP, entitlements: ["x"] }, "entitlements", "not a Databricks entitlement"],
    [{ applicationId: APP, roles: ["account_admin"] }, "roles", "is an account role"],
  ])("rejects %j on %s", async (news, property, text) => {
    expect(failureOf((await check(news)).failures, property)).toContain(text);
  });

  it("on Azure accepts a Databricks-managed SP: no applicationId, a displayName (issue 24)", async () => {
    const r = await check({ displayName: "ci" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs?.applicationId).toBeUndefined();
    expect(r.inputs?.displayName).toBe("ci");
  });

  it("on AWS/GCP needs only a displayName; on loopback the application id is optional", async () => {
    expect((await check({ host: AWS, displayName: "ci" })).failures).toBeUndefined();
    expect((await check({ host: GCP, displayName: "ci" })).failures).toBeUndefined();
    expect((await check({ host: "http://127.0.0.1:9", displayName: "ci" })).failures).toBeUndefined();
    expect((await check({ host: "http://127.0.0.1:9", applicationId: APP })).inputs?.applicationId).toBe(APP);
  });

  it("passes an unknown application id through during preview", async () => {
    const r = await check({ applicationId: UNKNOWN });
    expect(r.failures).toBeUndefined();
    expect(r.inputs?.applicationId).toBe(UNKNOWN);
  });
});

const base: ServicePrincipalInputs = { host: "https://h", level: "workspace", active: true, onDelete: "delete", adopt: false };
const outs = (o: Partial<ServicePrincipalOutputs> = {}): ServicePrincipalOutputs => ({
  ...base,
  applicationId: APP,
  displayName: "ci",
  entitlements: ["workspace-access"],
  roles: ["a", "b"],
  home: `/Users/${APP}`,
  aclPrincipalId: `servicePrincipals/${APP}`,
  managed: ["applicationId", "displayName", "roles"],
  ...o,
});

describe("ScimServicePrincipal diff", () => {
  it.each<[string, Partial<ServicePrincipalInputs>, { changes?: boolean; replaces: string[] }]>([
    ["nothing changed", {}, { changes: false, replaces: [] }],
    ["a generated applicationId the program leaves out", { applicationId: undefined }, { changes: false, replaces: [] }],
    ["unmanaged entitlements and externalId", { roles: ["b", "a"] }, { changes: false, replaces: [] }],
    ["a new applicationId", { applicationId: "00000000-0000-0000-0000-000000000001" }, { replaces: ["applicationId"] }],
    ["a new target", { host: "https://other" }, { replaces: ["host"] }],
    ["a new displayName (in place)", { displayName: "deployer" }, { replaces: [] }],
    ["deactivation (in place)", { active: false }, { replaces: [] }],
    ["roles emptied", { roles: [] }, { replaces: [] }],
    ["a new deletion policy (state only)", { onDelete: "deactivate" }, { replaces: [] }],
  ])("%s", async (_name, change, expected) => {
    const news: ServicePrincipalInputs = defined({ ...base, applicationId: APP, displayName: "ci", roles: ["a", "b"], ...change });
    expect(await sp.diff("3", outs({ externalId: "x" }), news)).toEqual(expected);
  });
});

describe("ScimServicePrincipal against a stub workspace", () => {
  const stubWorkspace = useStubWorkspaces();

  it("creates with the Entra app id and derives home and aclPrincipalId", async () => {
    const s = await stubWorkspace((req) => ({ status: 201, body: { id: "3", ...(req.json as object) } }));
    const r = await sp.create({ ...s.target, applicationId: APP, active: true, onDelete: "delete", adopt: false, entitlements: ["workspace-access"] });
    expect(s.requests[0]?.json).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
      applicationId: APP,
      active: true,
      entitlements: [{ value: "workspace-access" }],
    });
    expect(r.outs).toMatchObject({ applicationId: APP, home: `/Users/${APP}`, aclPrincipalId: `servicePrincipals/${APP}` });
  });

  it("reports the application id Databricks generated", async () => {
    const s = await stubWorkspace((req) => ({ status: 201, body: { id: "3", applicationId: APP.toUpperCase(), ...(req.json as object) } }));
    const r = await sp.create({ ...s.target, displayName: "ci", active: true, onDelete: "delete", adopt: false });
    expect(r.outs?.applicationId).toBe(APP);
    expect(r.outs?.managed).toEqual(["displayName"]);
  });

  it("adopts by displayName by looking first (names are not unique, a POST would duplicate)", async () => {
    const s = await stubWorkspace((req) =>
      req.method === "GET"
        ? { status: 200, body: listResponse([{ id: "3", applicationId: APP, displayName: "ci", active: false }], 1, 1) }
        : { status: 200, body: {} },
    );
    const r = await sp.create({ ...s.target, displayName: "ci", active: true, onDelete: "delete", adopt: true });
    expect(r.id).toBe("3");
    expect(s.requests.map((q) => q.method)).toEqual(["GET", "PATCH"]);
    expect(s.requests[0]?.url).toContain("filter=displayName%20eq%20%22ci%22");
    expect(opsOf(s.requests[1])).toEqual([{ op: "replace", path: "active", value: true }]);
  });

  it("refuses to adopt by a displayName that several service principals share", async () => {
    const twins = [
      { id: "3", applicationId: APP, displayName: "ci" },
      { id: "4", applicationId: "00000000-0000-0000-0000-000000000004", displayName: "ci" },
    ];
    const s = await stubWorkspace(() => ({ status: 200, body: listResponse(twins, 1, 2) }));
    await expect(sp.create({ ...s.target, displayName: "ci", active: true, onDelete: "delete", adopt: true })).rejects.toThrow(
      /^displayName: 2 service principals are named 'ci'/,
    );
    expect(s.requests.filter((q) => q.method !== "GET")).toEqual([]);
  });

  it("deactivates instead of deleting when onDelete is deactivate", async () => {
    const s = await stubWorkspace(() => ({ status: 200, body: {} }));
    await sp.delete("3", outs({ host: s.url, onDelete: "deactivate" }));
    await sp.delete("3", outs({ host: s.url }));
    expect(s.requests.map((q) => `${q.method} ${q.url}`)).toEqual([`PATCH ${WS}/ServicePrincipals/3`, `DELETE ${WS}/ServicePrincipals/3`]);
    expect(opsOf(s.requests[0])).toEqual([{ op: "replace", path: "active", value: false }]);
  });

  it("reads drift into the inputs of managed fields only", async () => {
    const s = await stubWorkspace(() => ({
      status: 200,
      body: { id: "3", applicationId: APP, displayName: "renamed", active: true, externalId: "x", roles: [{ value: "a" }] },
    }));
    // Written by this process just now (as the earlier tests' creates did, when the machine is quick): one GET by
    // id, not a batched filtered list, whatever time the earlier tests took.
    testSession().lag.noteWritten("3");
    const r = await sp.read("3", outs({ host: s.url }));
    expect(s.requests[0]?.url).toBe(`${WS}/ServicePrincipals/3?attributes=applicationId%2CdisplayName%2Cactive%2CexternalId%2Centitlements%2Croles`);
    expect(r.inputs).toEqual({
      host: s.url,
      level: "workspace",
      applicationId: APP,
      displayName: "renamed",
      roles: ["a"],
      active: true,
      onDelete: "delete",
      adopt: false,
    });
  });
});
