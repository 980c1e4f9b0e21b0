import type { Deployment } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { managedIds, mergeState, urnOf } from "../../../provider/import/stackState";
import type { ResourceState } from "../../../provider/import/stateOf";

const USER = "pulumi-nodejs:dynamic/scim:User";
const urn = (type: string, name: string) => urnOf("dev", "proj", type, name);
const state = (name: string, id: string, dependsOn: Record<string, string[]> = {}, type = USER): ResourceState => ({
  kind: type === USER ? "user" : "groupMembers",
  name,
  type,
  id,
  inputs: { userName: name },
  outputs: { userName: name },
  dependsOn,
});

describe("merging into a stack's state", () => {
  it("adds the stack and provider when missing, and orders dependencies first", () => {
    const members = state("members:g", "9", { memberIds: ["user:a"] }, "pulumi-nodejs:dynamic/scim:GroupMembers");
    const r = mergeState({ version: 3, deployment: {} }, [members, state("user:a", "1")], { stackName: "dev", project: "proj", providerInputs: {} });
    const resources = (r.deployment.deployment as { resources: { urn: string; dependencies?: string[]; provider?: string }[] }).resources;
    expect(resources.map((x) => x.urn.split("::").pop())).toEqual(["proj-dev", "default", "user:a", "members:g"]);
    expect(resources[3]?.dependencies).toEqual([urn(USER, "user:a")]);
    expect(resources[2]?.provider).toMatch(/^urn:pulumi:dev::proj::pulumi:providers:pulumi-nodejs::default::[0-9a-f-]{36}$/);
    expect(r.added).toBe(2);
  });

  it("replaces an earlier import's entry, keeps everything else, and counts what did not change", () => {
    const first = mergeState({ version: 3, deployment: {} }, [state("user:a", "1"), state("user:b", "2")], {
      stackName: "dev",
      project: "proj",
      providerInputs: {},
    });
    const body = first.deployment.deployment as { resources: Record<string, unknown>[] };
    body.resources.push({ urn: urn(USER, "mine"), custom: true, id: "3", type: USER });
    const changed = { ...state("user:b", "2"), outputs: { userName: "user:b", displayName: "B" } };
    const again = mergeState(first.deployment, [state("user:a", "1"), changed], { stackName: "dev", project: "proj", providerInputs: {} });
    expect([again.added, again.updated, again.unchanged]).toEqual([0, 1, 1]);
    const resources = (again.deployment.deployment as { resources: { urn: string; outputs?: unknown }[] }).resources;
    expect(resources.filter((x) => x.urn.endsWith("::default"))).toHaveLength(1);
    expect(resources.find((x) => x.urn.endsWith("::user:b"))?.outputs).toEqual({ userName: "user:b", displayName: "B" });
    expect(resources.some((x) => x.urn.endsWith("::mine"))).toBe(true);
  });

  it("refuses a stack with pending operations", () => {
    const d: Deployment = { version: 3, deployment: { pending_operations: [{ type: "creating" }] } };
    expect(() => mergeState(d, [], { stackName: "dev", project: "proj", providerInputs: {} })).toThrow(/pending operations/);
  });

  it("finds what the stack manages under other names, by SCIM id", () => {
    const d: Deployment = {
      version: 3,
      deployment: {
        resources: [
          { urn: urn(USER, "alice"), id: "1", type: USER },
          { urn: urn(USER, "user:b"), id: "2", type: USER },
          { urn: urn("pulumi-nodejs:dynamic/scim:GroupMembership", "m"), id: "7|1", type: "pulumi-nodejs:dynamic/scim:GroupMembership" },
        ],
      },
    };
    const ids = managedIds(d, new Set([urn(USER, "user:b")]));
    expect([...ids.entries()]).toEqual([
      ["user|1", urn(USER, "alice")],
      ["members|7", urn("pulumi-nodejs:dynamic/scim:GroupMembership", "m")],
    ]);
  });
});
