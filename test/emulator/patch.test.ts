import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, createSp, createUser, patch, scimError, startClient, URN_PATCH, type Client, type Json } from "./helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient({ cloud: "aws" }); // service principals with generated applicationIds
});
afterAll(() => c.close());

const INVALID_SYNTAX = scimError(400, "Request is unparsable, syntactically incorrect, or violates schema.", "invalidSyntax");
const NO_ENTITLEMENTS = scimError(400, "No such attribute with the name : entitlements in the current resource", "invalidPath");

async function get(path: string): Promise<Json> {
  const r = await c.ws("GET", path);
  expect(r.status).toBe(200);
  return r.body;
}

async function ok(path: string, body: Json): Promise<void> {
  const r = await c.ws("PATCH", path, body);
  expect(r.status, r.text).toBe(200);
  expect(r.body).toEqual({});
}

function memberIds(g: Json): string[] {
  return ((g.members ?? []) as Json[]).map((m) => m.value).sort();
}

describe("PATCH members", () => {
  it("add with path, filtered remove, pathless add, Entra-style value-list remove, remove all", async () => {
    const a = await createUser(c, "pa@example.com");
    const b = await createUser(c, "pb@example.com");
    const sp = await createSp(c, "p-sp");
    const g = await createGroup(c, "p-members");
    await ok(`/Groups/${g.id}`, patch({ op: "add", path: "members", value: [{ value: a.id }] }));
    expect(memberIds(await get(`/Groups/${g.id}`))).toEqual([a.id]);
    // Adding twice is a no-op.
    await ok(`/Groups/${g.id}`, patch({ op: "Add", path: "members", value: [{ value: a.id }, { value: b.id }] }));
    expect(memberIds(await get(`/Groups/${g.id}`))).toEqual([a.id, b.id].sort());
    await ok(`/Groups/${g.id}`, patch({ op: "remove", path: `members[value eq "${a.id}"]` }));
    expect(memberIds(await get(`/Groups/${g.id}`))).toEqual([b.id]);
    // Filter matching nothing: success, no change.
    await ok(`/Groups/${g.id}`, patch({ op: "remove", path: `members[value eq "${a.id}"]` }));
    await ok(`/Groups/${g.id}`, patch({ op: "ADD", value: { members: [{ value: sp.id }] } }));
    const now = await get(`/Groups/${g.id}`);
    expect(now.members.find((m: Json) => m.value === sp.id)).toEqual({ value: sp.id, $ref: `ServicePrincipals/${sp.id}`, display: "p-sp" });
    await ok(`/Groups/${g.id}`, patch({ op: "remove", path: "members", value: [{ value: b.id }] }));
    expect(memberIds(await get(`/Groups/${g.id}`))).toEqual([sp.id]);
    await ok(`/Groups/${g.id}`, patch({ op: "replace", path: "members", value: [{ value: a.id }] }));
    expect(memberIds(await get(`/Groups/${g.id}`))).toEqual([a.id]);
    await ok(`/Groups/${g.id}`, patch({ op: "remove", path: "members" }));
    expect((await get(`/Groups/${g.id}`)).members).toBeUndefined();
  });

  it("bare string member value → 400 invalidSyntax", async () => {
    const a = await createUser(c, "bare@example.com");
    const g = await createGroup(c, "p-bare");
    for (const value of [a.id, [a.id]]) {
      const r = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "add", path: "members", value }));
      expect(r.status).toBe(400);
      expect(r.body).toEqual(INVALID_SYNTAX);
    }
  });

  it("unknown member id → 400 with the generic patch text, nothing changes", async () => {
    const g = await createGroup(c, "p-unknown");
    const r = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "add", path: "members", value: [{ value: "123451234512345" }] }));
    expect(r.status).toBe(400);
    expect(r.body).toEqual(scimError(400, "Error in performing the patch operation on group resource."));
  });

  it("add with null value → the observed error text", async () => {
    const g = await createGroup(c, "p-null");
    const r = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "add", path: "members", value: null }));
    expect(r.status).toBe(400);
    expect(r.body).toEqual(scimError(400, "Error in performing the patch operation on group resource."));
  });

  it("remove without path → 400 noTarget; unknown op → invalidSyntax; missing schemas → invalidSyntax", async () => {
    const g = await createGroup(c, "p-errors");
    const r1 = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "remove" }));
    expect(r1.status).toBe(400);
    expect(r1.body.scimType).toBe("noTarget");
    const r2 = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "move", path: "displayName", value: "x" }));
    expect(r2.body).toEqual(INVALID_SYNTAX);
    const r3 = await c.ws("PATCH", `/Groups/${g.id}`, { Operations: [{ op: "replace", path: "displayName", value: "x" }] });
    expect(r3.body).toEqual(INVALID_SYNTAX);
    const r4 = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "nonsense", value: "x" }));
    expect(r4.body).toEqual(scimError(400, "No such attribute with the name : nonsense in the current resource", "invalidPath"));
    const r5 = await c.ws("PATCH", `/Groups/999999999999999`, patch({ op: "replace", path: "displayName", value: "x" }));
    expect(r5.status).toBe(404);
    expect(r5.body).toEqual(scimError(404, "Group with id 999999999999999 not found."));
  });
});

describe("PATCH roles and entitlements", () => {
  it("roles add/remove (filter and pathless)", async () => {
    const g = await createGroup(c, "p-roles");
    const arn = "arn:aws:iam::123456789012:instance-profile/p";
    await ok(`/Groups/${g.id}`, patch({ op: "add", path: "roles", value: [{ value: arn }] }));
    expect((await get(`/Groups/${g.id}`)).roles).toEqual([{ value: arn }]);
    await ok(`/Groups/${g.id}`, patch({ op: "remove", path: `roles[value eq "${arn}"]` }));
    expect((await get(`/Groups/${g.id}`)).roles).toBeUndefined();
    const u = await createUser(c, "roles@example.com");
    await ok(`/Users/${u.id}`, patch({ op: "add", value: { roles: [{ value: arn }] } }));
    expect((await get(`/Users/${u.id}`)).roles).toEqual([{ value: arn }]);
  });

  it("entitlements replace, clear with [{}], remove listed values, remove when none → invalidPath", async () => {
    const g = await createGroup(c, "p-ent");
    const none = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "remove", path: "entitlements", value: [{ value: "allow-cluster-create" }] }));
    expect(none.status).toBe(400);
    expect(none.body).toEqual(NO_ENTITLEMENTS);
    await ok(
      `/Groups/${g.id}`,
      patch({
        op: "replace",
        path: "entitlements",
        value: [{ value: "allow-cluster-create" }, { value: "databricks-sql-access" }, { value: "workspace-access" }],
      }),
    );
    expect((await get(`/Groups/${g.id}`)).entitlements).toEqual([
      { value: "allow-cluster-create" },
      { value: "databricks-sql-access" },
      { value: "workspace-access" },
    ]);
    await ok(`/Groups/${g.id}`, patch({ op: "remove", path: "entitlements", value: [{ value: "allow-cluster-create" }, { value: "workspace-access" }] }));
    expect((await get(`/Groups/${g.id}`)).entitlements).toEqual([{ value: "databricks-sql-access" }]);
    await ok(`/Groups/${g.id}`, patch({ op: "replace", path: "entitlements", value: [{}] }));
    expect((await get(`/Groups/${g.id}`)).entitlements).toBeUndefined();
    const again = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "remove", path: "entitlements", value: [{ value: "x" }] }));
    expect(again.body).toEqual(NO_ENTITLEMENTS);
    const bad = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "add", path: "entitlements", value: [{ value: "make-coffee" }] }));
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe("invalidValue");
  });
});

describe("PATCH scalar attributes", () => {
  it("active as [{value:'false'}], 'false', false and true", async () => {
    const u = await createUser(c, "active@example.com");
    for (const [value, expected] of [
      [[{ value: "false" }], false],
      ["true", true],
      ["false", false],
      [true, true],
      [false, false],
    ] as const) {
      await ok(`/Users/${u.id}`, patch({ op: "replace", path: "active", value }));
      expect((await get(`/Users/${u.id}`)).active).toBe(expected);
    }
    const bad = await c.ws("PATCH", `/Users/${u.id}`, patch({ op: "replace", path: "active", value: "maybe" }));
    expect(bad.status).toBe(400);
  });

  it("userName and emails changes are silent no-ops; displayName/name/externalId change", async () => {
    const u = await createUser(c, "noop@example.com");
    await ok(
      `/Users/${u.id}`,
      patch(
        { op: "replace", path: "userName", value: "changed@example.com" },
        { op: "replace", path: "emails", value: [{ value: "changed@example.com" }] },
        { op: "replace", path: `emails[type eq "work"].value`, value: "changed@example.com" },
        { op: "replace", path: "displayName", value: "No Op" },
        { op: "add", path: "name.givenName", value: "No" },
        { op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:externalId", value: "e-1" },
      ),
    );
    const now = await get(`/Users/${u.id}`);
    expect(now.userName).toBe("noop@example.com");
    expect(now.emails).toEqual([{ type: "work", value: "noop@example.com", primary: true }]);
    expect(now.displayName).toBe("No Op");
    expect(now.name).toEqual({ givenName: "No" });
    expect(now.externalId).toBe("e-1");
  });

  it("group rename via replace displayName; 409 when taken", async () => {
    const g = await createGroup(c, "p-rename");
    await createGroup(c, "p-rename-taken");
    await ok(`/Groups/${g.id}`, patch({ op: "replace", path: "displayName", value: "p-renamed" }));
    expect((await get(`/Groups/${g.id}`)).displayName).toBe("p-renamed");
    const r = await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "displayName", value: "P-RENAME-TAKEN" }));
    expect(r.status).toBe(409);
    expect(r.body).toEqual(scimError(409, "Group with name P-RENAME-TAKEN already exists."));
  });
});

describe("PATCH atomicity", () => {
  it("a failing later operation leaves earlier operations unapplied", async () => {
    const a = await createUser(c, "atom@example.com");
    const g = await createGroup(c, "p-atomic", { entitlements: [{ value: "workspace-access" }] });
    const before = await get(`/Groups/${g.id}`);
    const r = await c.ws("PATCH", `/Groups/${g.id}`, {
      schemas: [URN_PATCH],
      Operations: [
        { op: "add", path: "members", value: [{ value: a.id }] },
        { op: "replace", path: "displayName", value: "p-atomic-renamed" },
        { op: "remove", path: "entitlements", value: [{ value: "workspace-access" }] },
        { op: "add", path: "members", value: "not-a-list-of-objects" },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(INVALID_SYNTAX);
    expect(await get(`/Groups/${g.id}`)).toEqual(before);
    // The user's groups did not change either.
    expect((await get(`/Users/${a.id}`)).groups.map((x: Json) => x.display)).toEqual(["users"]);
  });
});
