// ScimGroup at workspace level: before the POST, the name is looked up through the workspace host's proxy of
// account SCIM, so that an account group not yet assigned to an identity-federated workspace is not shadowed by
// a new workspace-local group of the same name. The first lookup on a host is the probe: a host without the
// proxy (404/403/405) is not asked again in the process; concurrent creates wait for that one answer.
import { describe, expect, it } from "vitest";
import { groupLifecycle as groupDefined } from "../../../provider/lifecycle/group";
import { testContexts } from "./testSession";
import { ACCOUNT_PROXY_GROUPS, scimError, useCleanEnv, useStubWorkspaces } from "./helpers";

const groupLifecycle = groupDefined.bind(testContexts);
useCleanEnv();
const stubWorkspace = useStubWorkspaces();

const PROXY = ACCOUNT_PROXY_GROUPS;
const created = (name: string) => ({ status: 201, body: { id: `9-${name}`, displayName: name, meta: { resourceType: "WorkspaceGroup" } } });
const list = (resources: unknown[]) => ({ status: 200, body: { totalResults: resources.length, startIndex: 1, Resources: resources } });
type Answer = { status: number; body: unknown };

/** A workspace whose proxy answers `proxy(name)` (after `gate`, when given) and whose POST /Groups creates the group. */
const workspace = (proxy: (name: string) => Answer, gate?: Promise<void>) =>
  stubWorkspace(
    async (req) => {
      if (req.url.startsWith(PROXY)) {
        await gate;
        return proxy(/displayName eq "([^"]*)"/.exec(decodeURIComponent(req.url))?.[1] ?? "");
      }
      return req.method === "POST" ? created((req.json as { displayName: string }).displayName) : list([]);
    },
    { accountProxy: true },
  );
const accountHas =
  (...names: string[]) =>
  (name: string): Answer =>
    list(names.includes(name) ? [{ id: `77-${name}`, displayName: name }] : []);
const create = (target: { host: string; level: "workspace" }, displayName: string, extra: Record<string, unknown> = {}) =>
  groupLifecycle.create({ ...target, displayName, adopt: false, ...extra });
const calls = (s: { requests: { method: string; url: string }[] }) =>
  s.requests.map((r) => (r.url.startsWith(PROXY) ? `GET proxy ${/displayName eq "([^"]*)"/.exec(decodeURIComponent(r.url))?.[1]}` : r.method));

describe("ScimGroup: an account group not assigned to the federated workspace", () => {
  it("fails before the POST with the guidance, after one filtered LIST of the proxy, with no other resource telling the host is federated", async () => {
    const s = await workspace(accountHas("eng"));
    await expect(create(s.target, "eng")).rejects.toThrow(
      /^displayName: 'eng' is an account group \(id 77-eng\) in the identity-federated workspace at .* \(found in its account, through the workspace's proxy of account SCIM\); .*getGroup\(\{ displayName: "eng", level: "account" \}\).*WorkspaceAssignment.*WorkspaceEntitlements.*set workspaceLocal: true \(and another name, if the account group is assigned to this workspace\)\.$/,
    );
    expect(s.requests.map((r) => `${r.method} ${decodeURIComponent(r.url)}`)).toEqual([
      `GET ${PROXY}?attributes=id,displayName&count=100&filter=displayName eq "eng"&startIndex=1`,
    ]);
  });

  it("on a federated host, each group create sends its own lookup (GET, then POST)", async () => {
    const s = await workspace(accountHas("eng"));
    expect((await create(s.target, "ops")).id).toBe("9-ops");
    expect((await create(s.target, "qa")).id).toBe("9-qa");
    await expect(create(s.target, "eng")).rejects.toThrow(/is an account group \(id 77-eng\)/);
    expect(calls(s)).toEqual(["GET proxy ops", "POST", "GET proxy qa", "POST", "GET proxy eng"]);
  });

  it.each([404, 403, 405])("a %i from the proxy is no answer: the create goes on, and later creates on the host do not ask again", async (status) => {
    const s = await workspace(() => ({ status, body: scimError(status, "Endpoint not supported.") }));
    expect((await create(s.target, "eng")).id).toBe("9-eng");
    expect((await create(s.target, "ops")).id).toBe("9-ops");
    expect(calls(s)).toEqual(["GET proxy eng", "POST", "POST"]);
  });

  it("concurrent creates on a host wait for the first lookup's answer: one GET on a host without the proxy", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const s = await workspace(() => ({ status: 404, body: scimError(404, "Endpoint not supported.") }), gate);
    const creates = ["a", "b", "c", "d"].map((n) => create(s.target, n));
    await until(() => s.requests.length >= 1);
    open();
    expect((await Promise.all(creates)).map((c) => c.id)).toEqual(["9-a", "9-b", "9-c", "9-d"]);
    expect(calls(s).filter((c) => c.startsWith("GET"))).toEqual(["GET proxy a"]);
    expect(calls(s).filter((c) => c === "POST")).toHaveLength(4);
  });

  it("concurrent creates on a federated host: after the first answer, each asks for its own name", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const s = await workspace(accountHas("c"), gate);
    const creates = ["a", "b", "c"].map((n) =>
      create(s.target, n).then(
        (g) => g.id,
        (e: Error) => e.message,
      ),
    );
    await until(() => s.requests.length >= 1);
    // Only the first is on the wire until it is answered.
    expect(calls(s)).toEqual(["GET proxy a"]);
    open();
    const [a, b, c] = await Promise.all(creates);
    expect([a, b]).toEqual(["9-a", "9-b"]);
    expect(c).toMatch(/^displayName: 'c' is an account group \(id 77-c\)/);
    expect(
      calls(s)
        .filter((x) => x.startsWith("GET"))
        .sort(),
    ).toEqual(["GET proxy a", "GET proxy b", "GET proxy c"]);
  });

  it("a failed first lookup decides nothing: the next create asks again", async () => {
    let answers = 0;
    const s = await workspace(() => (++answers === 1 ? { status: 400, body: scimError(400, "bad filter") } : list([])));
    await expect(create(s.target, "eng")).rejects.toThrow(/bad filter/);
    expect((await create(s.target, "ops")).id).toBe("9-ops");
    expect((await create(s.target, "qa")).id).toBe("9-qa");
    expect(calls(s)).toEqual(["GET proxy eng", "GET proxy ops", "POST", "GET proxy qa", "POST"]);
  });

  it("workspaceLocal: true skips the lookup", async () => {
    const s = await workspace(accountHas("eng"));
    expect((await create(s.target, "eng", { workspaceLocal: true })).id).toBe("9-eng");
    expect(calls(s)).toEqual(["POST"]);
  });
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}
