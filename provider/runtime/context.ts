import type { ScimClient } from "../client";
import type { CallContext, CheckContext, Contexts, CreateJournal, GroupNames, MembershipRegistry, ReadLag, WorkspaceRegistry } from "../lifecycle/context";
import type { TargetInputs } from "../lifecycle/types";
import { clientFor, targetResolver } from "./connection";
import { journalKey, priorCreate, record, recordDeleted } from "./createJournal";
import { groupMembers, groupSnapshot } from "./groupMembersCache";
import { declareGroup, groupChecksQuiet, groupsNamed } from "./groupNames";
import { addDeclared } from "./declaredAdds";
import { removeMember } from "./memberBatcher";
import { checksQuiet, claimPair, conflictAtApply, declareMembership, isClaimed } from "./membershipRegistry";
import { batchedRead } from "./readBatcher";
import { isRecent, lagBoundMs, noteWritten, pollUntilFound, retryNotFound } from "./readLag";
import { stackSettings } from "./settings";
import { claim } from "./workspaceRegistry";

/**
 * The contexts the dispatcher hands to lifecycles: this provider process's state behind the ports that
 * provider/lifecycle/context.ts declares. One process serves one engine operation, so the state is per process.
 */

const lag: ReadLag = {
  boundMs: () => lagBoundMs(),
  noteWritten: (id) => noteWritten(id),
  isRecent: (id) => isRecent(id),
  retryNotFound: (fn, boundMs) => retryNotFound(fn, boundMs),
  pollUntilFound: (find, boundMs) => pollUntilFound(find, boundMs),
};

const journal: CreateJournal = {
  key: (target, kind, naturalKey) => journalKey(target, kind, naturalKey),
  prior: (key) => priorCreate(key),
  record: (key, event, extra) => record(key, event, extra),
  recordDeleted: (id) => recordDeleted(id),
};

const registry: MembershipRegistry = {
  declare: (d) => declareMembership(d),
  checksQuiet: () => checksQuiet(),
  conflictAtApply: (kind, target, groupId) => conflictAtApply(kind, target, groupId),
  claimPair: (target, groupId, memberId) => claimPair(target, groupId, memberId),
  isClaimed: (target, groupId, memberId) => isClaimed(target, groupId, memberId),
};

const workspaces: WorkspaceRegistry = {
  claim: (space, resourceName, keys) => claim(space, resourceName, keys),
};

const groupNames: GroupNames = {
  declare: (key, group) => declareGroup(key, group),
  named: (displayName) => groupsNamed(displayName),
  checksQuiet: () => groupChecksQuiet(),
};

const reads: CallContext["reads"] = { read: (api, id, attributes) => batchedRead(api, id, attributes) };

/**
 * A call's context. The client is made on first use (check-time resolution already proved the target usable;
 * a call that needs no client, such as a delete of a membership the program still claims, makes none), inside
 * the lifecycle call, so that a credential error is reported by it like any other.
 */
class ProcessCallContext implements CallContext {
  readonly lag = lag;
  readonly journal = journal;
  readonly reads = reads;
  readonly registry = registry;
  readonly workspaces = workspaces;
  readonly groupNames = groupNames;
  private made: ScimClient | undefined;

  constructor(private readonly target: TargetInputs) {}

  get client(): ScimClient {
    this.made ??= clientFor(this.target);
    return this.made;
  }

  readonly groups: CallContext["groups"] = {
    members: (groupId, opts) => groupMembers(this.client, groupId, opts),
    snapshot: (groupId) => groupSnapshot(this.client, groupId),
  };

  readonly members: CallContext["members"] = {
    add: (groupId, memberId) => addDeclared(this.client, this.target, groupId, memberId),
    remove: (groupId, memberId) => removeMember(this.client, groupId, memberId),
  };
}

/** The provider process's contexts: the stack configuration `configure` stored, and process-wide state. */
export const processContexts: Contexts = {
  check: (): CheckContext => ({ targets: targetResolver(stackSettings()), registry, workspaces, groupNames }),
  call: (target) => new ProcessCallContext(target),
};
