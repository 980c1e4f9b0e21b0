// ScimGroup at workspace level on a workspace known to be identity-federated: before the POST, the name is looked
// up through the workspace host's proxy of account SCIM, so that an account group not yet assigned to the
// workspace is not shadowed by a new workspace-local group of the same name. Elsewhere: no extra request.
import { beforeEach, describe, expect, it } from "vitest";
import { groupLifecycle as groupDefined } from "../../../provider/lifecycle/group";
import { workspaceEntitlementsLifecycle } from "../../../provider/lifecycle/workspaceEntitlements";
import { processContexts } from "../../../provider/runtime/context";
import { noteFederated, resetWorkspaceRegistry } from "../../../provider/runtime/workspaceRegistry";
import { scimError, useCleanEnv, useStubWorkspaces } from "./helpers";

const groupLifecycle = groupDefined.bind(processContexts);
const entitlements = workspaceEntitlementsLifecycle.bind(processContexts);
useCleanEnv();
const stubWorkspace = useStubWorkspaces();
beforeEach(() => resetWorkspaceRegistry());

const PROXY = "/api/2.0/account/scim/v2/Groups";
const created = { status: 201, body: { id: "900", displayName: "eng", meta: { resourceType: "WorkspaceGroup" } } };
const list = (resources: unknown[]) => ({ status: 200, body: { totalResults: resources.length, startIndex: 1, Resources: resources } });

/** A workspace whose proxy answers `proxy` and whose POST /Groups creates the group. */
const workspace = (proxy: { status: number; body: unknown }) =>
  stubWorkspace((req) => (req.url.startsWith(PROXY) ? proxy : req.method === "POST" ? created : list([])));

describe("ScimGroup: an account group not assigned to the federated workspace", () => {
  it("fails before the POST with the guidance, after one filtered LIST of the proxy", async () => {
    const s = await workspace(list([{ id: "77", displayName: "eng" }]));
    // The program says the workspace is federated: per-workspace entitlements of an account principal there.
    const checked = await entitlements.check({}, { principalId: "5", principalType: "group", entitlements: [], host: s.url });
    expect(checked.failures).toBeUndefined();
    await expect(groupLifecycle.create({ ...s.target, displayName: "eng", adopt: false })).rejects.toThrow(
      /^displayName: 'eng' is an account group \(id 77\) in the identity-federated workspace at .* \(found in its account, through the workspace's proxy of account SCIM\); .*getGroup\(\{ displayName: "eng", level: "account" \}\).*WorkspaceAssignment.*WorkspaceEntitlements.*set workspaceLocal: true \(and another name, if the account group is assigned to this workspace\)\.$/,
    );
    expect(s.requests.map((r) => `${r.method} ${decodeURIComponent(r.url)}`)).toEqual([
      `GET ${PROXY}?attributes=id,displayName&count=100&filter=displayName eq "eng"&startIndex=1`,
    ]);
  });

  it("creates the group when the account has none of that name (GET, then POST)", async () => {
    const s = await workspace(list([]));
    noteFederated(s.target);
    expect((await groupLifecycle.create({ ...s.target, displayName: "eng", adopt: false })).id).toBe("900");
    expect(s.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
  });

  it.each([404, 403, 405])("a %i from the proxy is no answer: the create goes on as before", async (status) => {
    const s = await workspace({ status, body: scimError(status, "Endpoint not supported.") });
    noteFederated(s.target);
    expect((await groupLifecycle.create({ ...s.target, displayName: "eng", adopt: false })).id).toBe("900");
    expect(s.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
  });

  it("workspaceLocal: true skips the lookup", async () => {
    const s = await workspace(list([{ id: "77", displayName: "eng" }]));
    noteFederated(s.target);
    expect((await groupLifecycle.create({ ...s.target, displayName: "eng", adopt: false, workspaceLocal: true })).id).toBe("900");
    expect(s.requests.map((r) => r.method)).toEqual(["POST"]);
  });

  it("a workspace not known to be federated gets no extra request (one POST)", async () => {
    const s = await workspace(list([{ id: "77", displayName: "eng" }]));
    expect((await groupLifecycle.create({ ...s.target, displayName: "eng", adopt: false })).id).toBe("900");
    expect(s.requests.map((r) => r.method)).toEqual(["POST"]);
  });

  it("a workspaceLocal group declared on the host tells that it is federated", async () => {
    const s = await workspace(list([{ id: "77", displayName: "eng" }]));
    expect((await groupLifecycle.check({}, { ...s.target, displayName: "local-team", workspaceLocal: true })).failures).toBeUndefined();
    await expect(groupLifecycle.create({ ...s.target, displayName: "eng", adopt: false })).rejects.toThrow(/is an account group \(id 77\)/);
    expect(s.requests.map((r) => r.method)).toEqual(["GET"]);
  });
});
