// Creates under faults: a POST whose answer is lost, a lookup that lags behind the write, a service principal
// without a unique key, and a create that an earlier, killed run already made (the create journal).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { servicePrincipalLifecycle as spDefined } from "../../../provider/lifecycle/servicePrincipal";
import { userLifecycle as userDefined } from "../../../provider/lifecycle/user";
import { nextSession, testContexts, testSession } from "./testSession";
import { listResponse as page, scimError, useCleanEnv, useStubWorkspaces, type Recorded } from "./helpers";

// The lifecycles as the provider process runs them: bound to a fresh provider session per test (./testSession.ts).
const userLifecycle = userDefined.bind(testContexts);
const servicePrincipalLifecycle = spDefined.bind(testContexts);

useCleanEnv();
const stubWorkspace = useStubWorkspaces();

const userInputs = (host: string) => ({
  host,
  level: "workspace" as const,
  userName: "a@example.com",
  active: true,
  onDelete: "delete" as const,
  adopt: false,
});
const listResponse = <T>(items: T[]) => page(items, 1, items.length);
const posts = (reqs: Recorded[]) => reqs.filter((q) => q.method === "POST");

describe("creates whose answers get lost", () => {
  it("lost answer, lookup finds nothing (the POST was not applied): POSTs again, within the create's own budget", async () => {
    let postCount = 0;
    const s = await stubWorkspace((req) => {
      if (req.method === "POST") return ++postCount === 1 ? { status: 0, destroy: true } : { status: 201, body: { id: "11", userName: "a@example.com" } };
      return { status: 200, body: listResponse([]) };
    });
    const r = await userLifecycle.create(userInputs(s.url));
    expect(r.id).toBe("11");
    expect(posts(s.requests)).toHaveLength(2);
  });

  it("a plain 500 on POST may have been applied: the lookup finds the user, who is taken as ours", async () => {
    const s = await stubWorkspace((req) => {
      if (req.method === "POST") return { status: 500, body: scimError(500, "Internal error.") };
      return { status: 200, body: listResponse([{ id: "12", userName: "a@example.com" }]) };
    });
    const r = await userLifecycle.create(userInputs(s.url));
    expect(r.id).toBe("12");
    expect(posts(s.requests)).toHaveLength(1);
  });

  it("lost answer, lookup lags (empty), second POST 409: the lookup is polled until it shows our user, adopted without `adopt`", async () => {
    let lists = 0;
    const s = await stubWorkspace((req) => {
      if (req.method === "POST")
        return posts(s.requests).length === 1
          ? { status: 0, destroy: true }
          : { status: 409, body: scimError(409, "User with username a@example.com already exists.") };
      if (req.method === "GET") return { status: 200, body: listResponse(++lists < 3 ? [] : [{ id: "13", userName: "a@example.com" }]) };
      return { status: 200, body: { id: "13" } };
    });
    const r = await userLifecycle.create(userInputs(s.url));
    expect(r.id).toBe("13");
    expect(posts(s.requests)).toHaveLength(2);
    expect(lists).toBe(3);
  });

  it("a service principal without applicationId: the one with its name that was not there before the POST is ours", async () => {
    let lists = 0;
    const s = await stubWorkspace((req) => {
      if (req.method === "POST") return { status: 0, destroy: true };
      lists++;
      const before = [{ id: "1", displayName: "ci", applicationId: "00000000-0000-0000-0000-000000000001" }];
      return {
        status: 200,
        body: listResponse(lists === 1 ? before : [...before, { id: "2", displayName: "ci", applicationId: "00000000-0000-0000-0000-000000000002" }]),
      };
    });
    const r = await servicePrincipalLifecycle.create({ host: s.url, level: "workspace", displayName: "ci", active: true, onDelete: "delete", adopt: false });
    expect(r.id).toBe("2");
    expect(posts(s.requests)).toHaveLength(1); // never a second POST: it would have made a duplicate
  });
});

describe("the create journal (an earlier run killed after its POST)", () => {
  it("an id the killed run saw: taken over with one GET, no POST", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "journal-")), "creates.jsonl");
    process.env.DATABRICKS_SCIM_JOURNAL = file;
    nextSession();
    const s = await stubWorkspace((req) =>
      req.method === "GET" ? { status: 200, body: { id: "21", userName: "a@example.com", displayName: "A" } } : { status: 200, body: {} },
    );
    const key = testSession().journal.key({ host: s.url, level: "workspace" }, "user", "a@example.com");
    fs.writeFileSync(file, `${JSON.stringify({ at: Date.now() - 1000, key, event: "created", id: "21", pid: 1 })}\n`);
    const r = await userLifecycle.create(userInputs(s.url));
    expect(r.id).toBe("21");
    expect(s.requests.map((q) => q.method)).toEqual(["GET"]);
  });

  it("a POST the killed run never saw answered: the 409 now is that POST's, so the user is ours", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "journal-")), "creates.jsonl");
    process.env.DATABRICKS_SCIM_JOURNAL = file;
    nextSession();
    const s = await stubWorkspace((req) => {
      if (req.method === "POST") return { status: 409, body: scimError(409, "User with username a@example.com already exists.") };
      return { status: 200, body: listResponse([{ id: "22", userName: "a@example.com" }]) };
    });
    const key = testSession().journal.key({ host: s.url, level: "workspace" }, "user", "a@example.com");
    fs.writeFileSync(file, `${JSON.stringify({ at: Date.now() - 1000, key, event: "posting", pid: 1 })}\n`);
    const r = await userLifecycle.create(userInputs(s.url));
    expect(r.id).toBe("22");
    // Without that journal line the same answers fail with "already exists … Set `adopt: true`".
    process.env.DATABRICKS_SCIM_JOURNAL = "off";
    nextSession();
    await expect(userLifecycle.create(userInputs(s.url))).rejects.toThrow(/already exists.*set `adopt: true`/);
  });
});

describe("read-after-write lag on reads", () => {
  it("a group the program depends on that 404s is read again within the bound", async () => {
    process.env.DATABRICKS_SCIM_LAG_BOUND_MS = "3000";
    let gets = 0;
    const s = await stubWorkspace(() =>
      ++gets < 3 ? { status: 404, body: scimError(404, "Group with id 5 is not found") } : { status: 200, body: { id: "5", members: [{ value: "9" }] } },
    );
    const members = await testSession().call({ host: s.url, level: "workspace" }).groups.members("5", { mustExist: true });
    expect([...(members ?? [])]).toEqual(["9"]);
    expect(gets).toBe(3);
  });

  it("on refresh, an old group that 404s is gone at once", async () => {
    const s = await stubWorkspace(() => ({ status: 404, body: scimError(404, "Group with id 6 is not found") }));
    expect(await testSession().call({ host: s.url, level: "workspace" }).groups.members("6")).toBeUndefined();
    expect(s.requests).toHaveLength(1);
  });
});
