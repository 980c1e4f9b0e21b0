// The Graph queries Entra tooling sends, through Microsoft's own client against the emulator, served as Graph
// serves them (Microsoft's "advanced query capabilities" page and the query-parameter known issues):
// startsWith / in on groups by default, $orderby=displayName by default but with $filter only in an advanced
// query (ConsistencyLevel: eventual + $count=true), /groups/$count as text/plain only with the header,
// ?$count=true adding @odata.count only with it, $expand=members (at most 20, no nextLink, not in advanced
// queries), and ne/not/endsWith only in advanced queries.
import { GraphError, type Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphEmulator, type RunningGraphEmulator } from "../../emulator/graph/index";
import { TREE_SEED, type Json } from "./graph-helpers";
import { graphSdkClient, type SdkClient } from "./graph-sdk-helpers";

const ID = {
  root: "00000000-0000-0000-0000-0000000000a0",
  eng: "00000000-0000-0000-0000-0000000000e0",
  sales: "00000000-0000-0000-0000-000000000050",
  data: "00000000-0000-0000-0000-0000000000d0",
};
const GROUP_NAMES = ["Big", "Data", "Eng", "O'Brien's team", "Platform", "Root", "Sales"];

let emu: RunningGraphEmulator;
let sdk: SdkClient;
let graph: Client;
beforeAll(async () => {
  emu = await startGraphEmulator({
    port: 0,
    seed: { ...structuredClone(TREE_SEED), generate: [{ group: "Big", count: 25, prefix: "big" }] },
    apps: [{ clientId: "tooling-app", clientSecret: "tooling-secret-1", permissions: ["Directory.Read.All"] }],
  });
  sdk = graphSdkClient(emu);
  graph = sdk.client;
});
afterAll(async () => {
  await sdk.close();
  await emu.close();
});

const EVENTUAL = { ConsistencyLevel: "eventual" };
const names = (body: Json): string[] => (body.value as Json[]).map((v) => v.displayName as string);

/** The GraphError the client throws, as the user catches it. */
async function failure(request: Promise<unknown>): Promise<GraphError> {
  const e = await request.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof GraphError)) throw new Error(`expected a GraphError, got ${String(e)}`);
  return e;
}

describe("$filter on groups", () => {
  it("startsWith(displayName,'…') works by default, case-insensitively, also or-ed", async () => {
    const r = await graph.api("/groups").filter("startswith(displayName,'e')").select("id,displayName").get();
    expect(r.value).toEqual([{ id: ID.eng, displayName: "Eng" }]);
    const either = await graph.api("/groups").filter("startsWith(displayName,'Sa') or startsWith(displayName,'Pl')").select("displayName").get();
    expect(names(either).sort()).toEqual(["Platform", "Sales"]);
    const none = await graph.api("/groups").filter("startswith(displayName,'zz')").get();
    expect(none.value).toEqual([]);
  });

  it("id in (…) works by default up to 15 values; 16 need the advanced query parameters", async () => {
    const r = await graph.api("/groups").filter(`id in ('${ID.eng}','${ID.sales}','00000000-0000-0000-0000-00000000ffff')`).select("id").get();
    expect((r.value as Json[]).map((g) => g.id).sort()).toEqual([ID.sales, ID.eng].sort());
    const sixteen = [ID.data, ...Array.from({ length: 15 }, (_, i) => `00000000-0000-0000-0000-0000000010${String(i).padStart(2, "0")}`)];
    const filter = `id in (${sixteen.map((id) => `'${id}'`).join(",")})`;
    const e = await failure(graph.api("/groups").filter(filter).get());
    expect([e.statusCode, e.code, e.message]).toEqual([
      400,
      "Request_UnsupportedQuery",
      "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15.",
    ]);
    const advanced = await graph.api("/groups").header("ConsistencyLevel", "eventual").count(true).filter(filter).select("displayName").get();
    expect(names(advanced)).toEqual(["Data"]);
    expect(advanced["@odata.count"]).toBe(1);
  });

  it("ne, not and endsWith only in advanced queries (Graph's error names the operator and the fix)", async () => {
    const e = await failure(graph.api("/groups").filter("displayName ne 'Eng'").get());
    expect([e.statusCode, e.code]).toEqual([400, "Request_UnsupportedQuery"]);
    expect(e.message).toBe(
      "Operator 'ne' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information",
    );
    const ne = await graph
      .api("/groups")
      .headers(EVENTUAL)
      .count(true)
      .filter("displayName ne 'Eng' and not startsWith(displayName,'B')")
      .select("displayName")
      .get();
    expect(names(ne).sort()).toEqual(GROUP_NAMES.filter((n) => n !== "Eng" && n !== "Big"));
    const ends = await graph.api("/users").headers(EVENTUAL).count(true).filter("endsWith(mail,'@fabrikam.com')").select("displayName").get();
    expect(names(ends)).toEqual(["Gus Guest"]);
  });

  it("an unfilterable property is 400 Request_UnsupportedQuery naming it and the resource", async () => {
    const e = await failure(graph.api("/groups").filter("createdDateTime ge 2021-11-01").get());
    expect([e.statusCode, e.code, e.message]).toEqual([
      400,
      "Request_UnsupportedQuery",
      "Unsupported or invalid query filter clause specified for property 'createdDateTime' of resource 'Group'.",
    ]);
  });
});

describe("$orderby", () => {
  it("groups by displayName by default, asc and desc, across pages", async () => {
    const asc = await graph.api("/groups").orderby("displayName").select("displayName").get();
    expect(names(asc)).toEqual([...GROUP_NAMES].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    const desc = await graph.api("/groups").orderby("displayName desc").select("displayName").top(3).get();
    expect(names(desc)).toEqual(["Sales", "Root", "Platform"]);
    const next = await graph.api(desc["@odata.nextLink"] as string).get();
    expect(names(next)).toEqual(["O'Brien's team", "Eng", "Data"]);
  });

  it("with $filter only in an advanced query: 400 'Sorting not supported for current query.' without it", async () => {
    const e = await failure(graph.api("/groups").filter("startswith(displayName,'P') or startswith(displayName,'D')").orderby("displayName").get());
    expect([e.statusCode, e.code, e.message]).toEqual([400, "Request_UnsupportedQuery", "Sorting not supported for current query."]);
    const ok = await graph
      .api("/groups")
      .header("ConsistencyLevel", "eventual")
      .count(true)
      .filter("startswith(displayName,'P') or startswith(displayName,'D')")
      .orderby("displayName")
      .select("displayName")
      .get();
    expect(names(ok)).toEqual(["Data", "Platform"]);
    expect(ok["@odata.count"]).toBe(2);
  });

  it("users by userPrincipalName by default; servicePrincipals by displayName only in an advanced query", async () => {
    const users = await graph.api("/users").orderby("userPrincipalName").select("userPrincipalName").top(2).get();
    expect((users.value as Json[]).map((u) => u.userPrincipalName)).toEqual(["ann@contoso.com", "big-10@example.com"]);
    const e = await failure(graph.api("/servicePrincipals").orderby("displayName").get());
    expect([e.statusCode, e.message]).toEqual([400, "Sorting not supported for current query."]);
    const sps = await graph.api("/servicePrincipals").headers(EVENTUAL).count(true).orderby("displayName").get();
    expect(names(sps)).toEqual(["etl-bot"]);
  });
});

describe("$count", () => {
  it("/groups/$count answers text/plain with ConsistencyLevel: eventual, also under a $filter", async () => {
    const n: unknown = await graph.api("/groups/$count").header("ConsistencyLevel", "eventual").get();
    expect(n).toBe(String(GROUP_NAMES.length));
    const filtered: unknown = await graph.api("/groups/$count").header("ConsistencyLevel", "eventual").filter("startswith(displayName,'P')").get();
    expect(filtered).toBe("1");
    const users: unknown = await graph.api("/users/$count").header("ConsistencyLevel", "eventual").get();
    expect(users).toBe(String(4 + 25));
  });

  it("/groups/$count without the header is 400 Request_BadRequest '$count is not currently supported.'", async () => {
    const e = await failure(graph.api("/groups/$count").get());
    expect([e.statusCode, e.code, e.message]).toEqual([400, "Request_BadRequest", "$count is not currently supported."]);
  });

  it("?$count=true adds @odata.count (the total, not the page) with the header; silently ignored without it", async () => {
    const withHeader = await graph.api("/groups").header("ConsistencyLevel", "eventual").count(true).top(2).get();
    expect(withHeader["@odata.count"]).toBe(GROUP_NAMES.length);
    expect(withHeader.value).toHaveLength(2);
    const without = await graph.api("/groups").count(true).top(2).get();
    expect(without).not.toHaveProperty("@odata.count");
    expect(without.value).toHaveLength(2);
  });
});

describe("$expand=members", () => {
  it("on a group: its direct members typed, service principals included on v1.0 (Graph's workaround)", async () => {
    const r = await graph.api(`/groups/${ID.root}`).select("id,displayName").expand("members").get();
    expect(r.displayName).toBe("Root");
    expect((r.members as Json[]).map((m) => [m["@odata.type"], m.displayName])).toEqual([
      ["#microsoft.graph.group", "Eng"],
      ["#microsoft.graph.group", "Sales"],
      ["#microsoft.graph.servicePrincipal", "etl-bot"],
      ["#microsoft.graph.device", "LAPTOP-7"],
    ]);
  });

  it("at most 20 members per group and no nextLink for them; nested $select is honoured", async () => {
    const r = await graph.api("/groups").filter("displayName eq 'Big'").expand("members($select=id,userPrincipalName)").get();
    const big = (r.value as Json[])[0];
    expect(big.members).toHaveLength(20);
    expect(Object.keys(big.members[0]).sort()).toEqual(["@odata.type", "id", "userPrincipalName"]);
    expect(big).not.toHaveProperty("members@odata.nextLink");
    expect(r).not.toHaveProperty("@odata.nextLink");
  });

  it("is refused in an advanced query and for relationships the emulator does not have", async () => {
    const advanced = await failure(graph.api("/groups").header("ConsistencyLevel", "eventual").count(true).expand("members").get());
    expect([advanced.statusCode, advanced.code]).toEqual([400, "Request_UnsupportedQuery"]);
    const owners = await failure(graph.api("/groups").expand("owners").get());
    expect([owners.statusCode, owners.code]).toEqual([400, "Request_BadRequest"]);
  });

  it("a list page with $expand holds at most 100 groups whatever $top says (Graph known issue), then a nextLink", async () => {
    const many = await startGraphEmulator({
      port: 0,
      seed: { groups: Array.from({ length: 105 }, (_, i) => ({ displayName: `Team ${String(i).padStart(3, "0")}` })) },
    });
    const client = graphSdkClient(many);
    try {
      const first = await client.client.api("/groups").top(999).expand("members").select("displayName").get();
      expect(first.value).toHaveLength(100);
      expect(first["@odata.nextLink"]).toEqual(expect.stringContaining("$skiptoken="));
      const second = await client.client.api(first["@odata.nextLink"] as string).get();
      expect(second.value).toHaveLength(5);
      expect((second.value as Json[]).every((g) => Array.isArray(g.members))).toBe(true);
    } finally {
      await client.close();
      await many.close();
    }
  });
});

describe("member collections", () => {
  it("$filter and $orderby on transitiveMembers work in an advanced query, and are refused without it", async () => {
    const e = await failure(graph.api(`/groups/${ID.root}/transitiveMembers`).filter("startswith(displayName,'A')").get());
    expect([e.statusCode, e.code]).toEqual([400, "Request_UnsupportedQuery"]);
    const r = await graph
      .api(`/groups/${ID.root}/transitiveMembers/microsoft.graph.user`)
      .headers(EVENTUAL)
      .count(true)
      .filter("accountEnabled eq true")
      .orderby("displayName desc")
      .select("displayName")
      .get();
    expect(names(r)).toEqual(["Gus Guest", "Cid", "Ann"]);
    expect(r["@odata.count"]).toBe(3);
  });
});
