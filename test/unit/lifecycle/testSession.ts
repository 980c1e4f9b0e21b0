// Each test gets a fresh provider session, as each engine operation gets a fresh provider process: made from
// process.env at the test's first lifecycle call (so after the test has set its environment), and never shared
// with another test. No reset hooks: a session that is dropped takes all of its stores with it.
import { beforeEach } from "vitest";
import type { ResourceApi, ScimClient } from "../../../provider/client";
import type { Contexts } from "../../../provider/lifecycle/context";
import type { Declaration, TargetInputs } from "../../../provider/lifecycle/types";
import type { MembershipChange, ReadOptions } from "../../../provider/runtime/groupMembersCache";
import { ProviderSession } from "../../../provider/runtime/session";

let current: ProviderSession | undefined;
beforeEach(() => {
  current = undefined;
});

/** This test's session (made now if the test has made no call yet). */
export function testSession(): ProviderSession {
  current ??= new ProviderSession({ env: process.env });
  return current;
}

/** A new session, as the next engine operation's provider process: nothing of the earlier one is kept. */
export function nextSession(): ProviderSession {
  current = undefined;
  return testSession();
}

/** What the lifecycles under test are bound to: the running test's session. */
export const testContexts: Contexts = {
  check: () => testSession().check(),
  call: (target) => testSession().call(target),
};

// The running test's session stores by what each one does, for the tests that drive one store directly (the
// membership batcher, the group cache, carrying adds, batched reads), with the client a test makes.
export const addMember = (client: ScimClient, groupId: string, memberId: string) => testSession().storesOf(client).batcher.add(groupId, memberId);
export const removeMember = (client: ScimClient, groupId: string, memberId: string) => testSession().storesOf(client).batcher.remove(groupId, memberId);
export const groupMembers = (client: ScimClient, groupId: string, opts?: ReadOptions) => testSession().storesOf(client).groups.members(groupId, opts);
export const recordMembershipChange = (client: ScimClient, groupId: string, change: MembershipChange) =>
  testSession().storesOf(client).groups.recordChange(groupId, change);
export const forgetGroup = (client: ScimClient, groupId: string) => testSession().storesOf(client).groups.forget(groupId);
export const addDeclared = (client: ScimClient, target: TargetInputs, groupId: string, memberId: string) =>
  testSession().storesOf(client).adds.add(target, groupId, memberId);
export const declareMembership = (d: Declaration) => testSession().registry.declare(d);
export const batchedRead = <T extends { id?: string; schemas?: string[] }>(api: ResourceApi<T>, id: string, attributes: string) =>
  testSession().reads.read(api, id, attributes);
