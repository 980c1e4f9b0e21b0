import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, createSp, createUser, ids, scimError, startClient, URN_LIST, URN_USER, URN_USER_WS, type Client, type Json } from "./helpers";

let c: Client;
const made: Record<string, Json> = {};
beforeAll(async () => {
  c = await startClient({ cloud: "aws", maxPageSize: 5 }); // service principals with generated applicationIds
  made.ann = await createUser(c, "Ann.Smith@Example.com", { displayName: "Ann Smith", externalId: "Ext-A" });
  made.bob = await createUser(c, "bob.jones@example.com", { displayName: "Bob Jones", name: { givenName: "Bob", familyName: "Jones" } });
  made.cat = await createUser(c, "cat@other.org", { displayName: "cat", active: false });
  made.eng = await createGroup(c, "Engineering");
  made.engOps = await createGroup(c, "eng-ops");
  made.sp = await createSp(c, "go-sdk-robot");
});
afterAll(() => c.close());

async function userNames(filter: string): Promise<string[]> {
  const r = await c.ws("GET", `/Users?filter=${encodeURIComponent(filter)}&count=5`);
  expect(r.status).toBe(200);
  return ((r.body.Resources ?? []) as Json[]).map((u) => u.userName).sort();
}

describe("filters", () => {
  it("a batch of ids (`id eq … or id eq …`): exactly the existing ones, sorted by id, also mixed with other terms", async () => {
    const q = (f: string) => c.ws("GET", `/Users?filter=${encodeURIComponent(f)}&count=5`);
    const asked = [made.cat.id, "999999999", made.ann.id];
    const r = await q(asked.map((id) => `id eq "${id}"`).join(" or "));
    expect(r.body.totalResults).toBe(2);
    expect(ids(r.body)).toEqual([made.ann.id, made.cat.id].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)));
    // Not only ids: every object is considered, with the same answer for the id part.
    const mixed = await q(`id eq "${made.ann.id}" or userName eq "bob.jones@example.com"`);
    expect(await userNames(`id eq "${made.ann.id}" or userName eq "bob.jones@example.com"`)).toEqual(["ann.smith@example.com", "bob.jones@example.com"]);
    expect(mixed.body.totalResults).toBe(2);
    // A group id asked of /Users is not a user.
    expect((await q(`id eq "${made.eng.id}"`)).body.totalResults).toBe(0);
  });

  it("double-quoted, single-quoted and bare values", async () => {
    expect(await userNames(`userName eq "ann.smith@example.com"`)).toEqual(["ann.smith@example.com"]);
    expect(await userNames(`userName eq 'ann.smith@example.com'`)).toEqual(["ann.smith@example.com"]);
    expect(await userNames(`userName eq ann.smith@example.com`)).toEqual(["ann.smith@example.com"]);
    // `+` as space in the raw query string, as in the Databricks docs.
    const plus = await c.ws("GET", `/Users?filter=userName+eq+bob.jones@example.com`);
    expect(ids(plus.body)).toEqual([made.bob.id]);
    const sq = await c.ws("GET", `/Groups?filter=${encodeURIComponent("displayName sw 'eng'")}`);
    expect(sq.body.Resources.map((g: Json) => g.displayName).sort()).toEqual(["Engineering", "eng-ops"]);
    const bare = await c.ws("GET", `/Groups?filter=displayName+sw+eng`);
    expect(bare.body.totalResults).toBe(2);
  });

  it("case rules: userName, emails, group displayName insensitive; id and externalId exact", async () => {
    expect(await userNames(`userName eq "ANN.SMITH@EXAMPLE.COM"`)).toEqual(["ann.smith@example.com"]);
    expect(await userNames(`emails.value eq "BOB.JONES@example.com"`)).toEqual(["bob.jones@example.com"]);
    expect(await userNames(`emails co "OTHER.ORG"`)).toEqual(["cat@other.org"]);
    const g = await c.ws("GET", `/Groups?filter=${encodeURIComponent('displayName eq "ENGINEERING"')}`);
    expect(ids(g.body)).toEqual([made.eng.id]);
    expect(await userNames(`externalId eq "Ext-A"`)).toEqual(["ann.smith@example.com"]);
    expect(await userNames(`externalId eq "ext-a"`)).toEqual([]);
    expect(await userNames(`id eq "${made.bob.id}"`)).toEqual(["bob.jones@example.com"]);
    expect(await userNames(`ID EQ "${made.bob.id}"`)).toEqual(["bob.jones@example.com"]);
    const sp = await c.ws("GET", `/ServicePrincipals?filter=${encodeURIComponent(`applicationId eq "${made.sp.applicationId}"`)}`);
    expect(ids(sp.body)).toEqual([made.sp.id]);
  });

  it("ne, co, sw, and, or, parentheses, booleans, sub-attributes", async () => {
    expect(await userNames(`userName co "example.com" and displayName sw "bob"`)).toEqual(["bob.jones@example.com"]);
    expect(await userNames(`userName eq "cat@other.org" or displayName eq "Ann Smith"`)).toEqual(["ann.smith@example.com", "cat@other.org"]);
    expect(await userNames(`(userName sw "ann" or userName sw "bob") and userName ne "bob.jones@example.com"`)).toEqual(["ann.smith@example.com"]);
    expect(await userNames(`active eq false`)).toEqual(["cat@other.org"]);
    expect(await userNames(`name.givenName eq "bob"`)).toEqual(["bob.jones@example.com"]);
    expect(await userNames(`userName eq "nobody@example.com"`)).toEqual([]);
  });

  it("no match → 200 totalResults 0 without Resources", async () => {
    const r = await c.ws("GET", `/Users?filter=${encodeURIComponent('userName eq "none@x.y"')}`);
    expect(r.body).toEqual({ schemas: [URN_LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0 });
  });

  it("bad syntax, unsupported operators and >200 nodes → 400 invalidFilter", async () => {
    for (const f of [`userName eq`, `userName eq "a" and`, `userName zz "a"`, `userName ew "com"`, `userName pr`, `(userName eq "a"`, `unknownAttr eq "x"`]) {
      const r = await c.ws("GET", `/Users?filter=${encodeURIComponent(f)}`);
      expect(r.status, f).toBe(400);
      expect(r.body.scimType, f).toBe("invalidFilter");
      expect(r.body.status, f).toBe("400");
      expect(r.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    }
    const ok = Array.from({ length: 100 }, (_, i) => `userName eq "u${i}@x.y"`).join(" or ");
    expect((await c.ws("GET", `/Users?filter=${encodeURIComponent(ok)}`)).status).toBe(200); // 101 nodes
    const big = Array.from({ length: 201 }, (_, i) => `userName eq "u${i}@x.y"`).join(" or ");
    const r = await c.ws("GET", `/Users?filter=${encodeURIComponent(big)}`);
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("invalidFilter");
  });
});

describe("pagination, sorting, attributes", () => {
  it("clamps count to the max page size and reports the true itemsPerPage", async () => {
    const all = await c.ws("GET", `/Users?count=10000`);
    expect(all.body.totalResults).toBe(5); // admin, user, ann, bob, cat
    expect(all.body.itemsPerPage).toBe(5);
    expect(all.body.Resources).toHaveLength(5);
    const p = await c.ws("GET", `/Users?startIndex=2&count=2`);
    expect(p.body).toMatchObject({ schemas: [URN_LIST], totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(p.body.Resources).toHaveLength(2);
  });

  it("SDK-style paging visits every user once and ends on an empty page without Resources", async () => {
    const seen: string[] = [];
    let start = 1;
    for (let i = 0; i < 10; i++) {
      const r = await c.ws("GET", `/Users?startIndex=${start}&count=2`);
      if (!r.body.Resources || r.body.Resources.length === 0) {
        // The SDK stops only on an empty page; it must have no `Resources` key at all.
        expect(r.body).toEqual({ schemas: [URN_LIST], totalResults: 5, startIndex: start, itemsPerPage: 0 });
        break;
      }
      seen.push(...ids(r.body));
      start = r.body.startIndex + r.body.Resources.length;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(start).toBe(6);
    // Default order is by id, numerically.
    const sorted = [...seen].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    expect(seen).toEqual(sorted);
  });

  it("startIndex < 1 → 1; count < 0 → 0; count=0 → only totals", async () => {
    const a = await c.ws("GET", `/Users?startIndex=0&count=1`);
    expect(a.body.startIndex).toBe(1);
    expect(a.body.itemsPerPage).toBe(1);
    const b = await c.ws("GET", `/Users?startIndex=-5&count=-3`);
    expect(b.body).toEqual({ schemas: [URN_LIST], totalResults: 5, startIndex: 1, itemsPerPage: 0 });
    const z = await c.ws("GET", `/Users?count=0`);
    expect(z.body.Resources).toBeUndefined();
    expect(z.body.totalResults).toBe(5);
  });

  it("sortBy / sortOrder", async () => {
    const asc = await c.ws("GET", `/Users?sortBy=userName&sortOrder=ascending`);
    expect(asc.body.Resources.map((u: Json) => u.userName)).toEqual([
      "admin@example.com",
      "ann.smith@example.com",
      "bob.jones@example.com",
      "cat@other.org",
      "user@example.com",
    ]);
    const desc = await c.ws("GET", `/Users?sortBy=displayName&sortOrder=descending`);
    expect(desc.body.Resources.map((u: Json) => u.displayName)).toEqual(["Workspace User", "Workspace Admin", "cat", "Bob Jones", "Ann Smith"]);
  });

  it("attributes and excludedAttributes on list and get; id and schemas always returned", async () => {
    const r = await c.ws("GET", `/Users?attributes=userName&filter=${encodeURIComponent('userName sw "ann"')}`);
    expect(r.body.Resources).toEqual([{ schemas: [URN_USER, URN_USER_WS], id: made.ann.id, userName: "ann.smith@example.com" }]);
    const sub = await c.ws("GET", `/Users/${made.bob.id}?attributes=name.familyName,emails.value`);
    expect(sub.body).toEqual({
      schemas: [URN_USER, URN_USER_WS],
      id: made.bob.id,
      name: { familyName: "Jones" },
      emails: [{ value: "bob.jones@example.com" }],
    });
    const urn = await c.ws("GET", `/Users/${made.bob.id}?attributes=urn:ietf:params:scim:schemas:core:2.0:User:userName`);
    expect(urn.body).toEqual({ schemas: [URN_USER, URN_USER_WS], id: made.bob.id, userName: "bob.jones@example.com" });
    const ex = await c.ws("GET", `/Users/${made.bob.id}?excludedAttributes=groups,emails,id,schemas`);
    expect(ex.body.groups).toBeUndefined();
    expect(ex.body.emails).toBeUndefined();
    expect(ex.body.id).toBe(made.bob.id);
    expect(ex.body.schemas).toEqual([URN_USER, URN_USER_WS]);
    const empty = await c.ws("GET", `/Users/${made.bob.id}?attributes=`);
    expect(empty.body.userName).toBe("bob.jones@example.com");
    expect(empty.body.groups).toBeDefined();
  });

  it("workspace list of Groups includes members", async () => {
    const r = await c.ws("GET", `/Groups?filter=${encodeURIComponent('displayName eq "admins"')}`);
    expect(r.body.Resources[0].members).toHaveLength(1);
  });

  it("bad startIndex → 400", async () => {
    const r = await c.ws("GET", `/Users?startIndex=abc`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual(scimError(400, "Invalid value for startIndex: abc", "invalidValue"));
  });
});
