import type { ResourceApi, ScimClient, WithId } from "../client";
import type { ScimGroup } from "../client/types";
import type { Conflict, Declaration, DeclaredGroup, JournalEvent, MembershipKind, Prior, TargetInputs } from "./types";

/**
 * What a lifecycle is handed instead of fetching it: the ports to the provider process's state. provider/runtime
 * implements them (one client per target, the read-lag tracker, the create journal, the batchers, the membership
 * registry, the members cache) and builds a context for each call; a unit test passes a fake. Lifecycles never
 * import provider/runtime, and never read process.env: what the environment says reaches them through these ports
 * (the provider session reads it once, provider/runtime/settings.ts).
 */

/**
 * Where a target's calls go, resolved at check time (stack config, environment, config files; the host's metadata
 * only for an account id nothing else gives).
 */
export interface TargetResolver {
  /**
   * Rejects when no target or credentials can be found; a CredentialError's `setting` names the target setting
   * at fault (absent: the credentials). `hostSource` says where the host came from ("from DATABRICKS_HOST").
   */
  resolve(target: Partial<TargetInputs>): Promise<ResolvedTarget>;
  /** The account id of the stack configuration, else of the environment (DATABRICKS_ACCOUNT_ID), for the "required at account level" rule. */
  readonly defaultAccountId?: string;
  /** Whether the provider's environment sets this variable (non-empty): a connection's tokenEnvVar and the like. */
  hasEnvVar(name: string): boolean;
}

/** What a resolution gives check: where (stored in the inputs) and, for check's rules only, the cloud. */
export interface ResolvedTarget {
  host: string;
  level: "workspace" | "account";
  accountId?: string;
  /** The workspace a unified host routes workspace calls to (X-Databricks-Workspace-Id). */
  workspaceId?: string;
  hostSource?: string;
  /** Set only when the host's metadata named the cloud (an emulator or proxy host name does not). */
  metadataCloud?: "aws" | "azure" | "gcp";
}

/** Read-after-write lag (runtime/readLag.ts says why a 404 is not always "gone"). */
export interface ReadLag {
  boundMs(): number;
  noteWritten(id: string): void;
  /** Did this process create or adopt `id` within the lag bound? */
  isRecent(id: string): boolean;
  retryNotFound<T>(fn: () => Promise<T>, boundMs?: number): Promise<T>;
  pollUntilFound<T>(find: () => Promise<T | undefined>, boundMs?: number): Promise<T | undefined>;
}

/** Creates an interrupted run may have made (runtime/createJournal.ts). */
export interface CreateJournal {
  key(target: TargetInputs, kind: string, naturalKey: string): string;
  prior(key: string): Prior | undefined;
  record(key: string, event: JournalEvent, extra?: { id?: string; before?: string[] }): void;
  recordDeleted(id: string): void;
}

/** Refresh reads of many objects gathered into filtered LISTs (runtime/readBatcher.ts). */
export interface BatchedReads {
  read<T extends { id?: string; schemas?: string[] }>(api: ResourceApi<T>, id: string, attributes: string): Promise<WithId<T> | undefined>;
}

/** Each group read once per process, shared by the group and its memberships (runtime/groupMembersCache.ts). */
export interface GroupReads {
  /** The ids of the group's direct members; undefined when the group does not exist. */
  members(groupId: string, opts?: { mustExist?: boolean }): Promise<ReadonlySet<string> | undefined>;
  snapshot(groupId: string): Promise<WithId<ScimGroup> | undefined>;
  /**
   * This process's own POST made the group (`group`, its answer): its members are known without a read, so a
   * GroupMembers create right after it sends no GET. Never for a group found or adopted.
   */
  created(group: WithId<ScimGroup>): void;
}

/** Membership changes of one group coalesced into few PATCHes (runtime/memberBatcher.ts). */
export interface MemberChanges {
  add(groupId: string, memberId: string): Promise<void>;
  remove(groupId: string, memberId: string): Promise<void>;
}

/** What the program declares about group membership in this run (runtime/membershipRegistry.ts). */
export interface MembershipRegistry {
  declare(d: Declaration): Conflict | undefined;
  checksQuiet(): Promise<void>;
  conflictAtApply(kind: MembershipKind, target: TargetInputs, groupId: string): string | undefined;
  claimPair(target: TargetInputs, groupId: string, memberId: string): void;
  isClaimed(target: TargetInputs, groupId: string, memberId: string): boolean;
}

/** What the program says about workspaces in this run: one assignment and one entitlements resource per principal and workspace (runtime/workspaceRegistry.ts). */
export interface WorkspaceRegistry {
  /** Claims `keys` in `space` for the resource; the name of another resource that holds one, if any. */
  claim(space: string, resourceName: string, keys: readonly string[]): string | undefined;
}

/** The groups the program declares in this run, by name, for the shadow-group rule (./groupShadow.ts; runtime/groupNames.ts). */
export interface GroupNames {
  /** Records what the resource under `key` declares (undefined: nothing that can shadow), replacing its earlier entry. */
  declare(key: string, group: DeclaredGroup | undefined): void;
  /** Every group declared under this display name (compared as Databricks does, ignoring case). */
  named(displayName: string): readonly DeclaredGroup[];
  /** Resolves once no group has been checked for a short while (bounded): a create's last look before its POST. */
  checksQuiet(): Promise<void>;
}

/** What check gets: no client (check runs at preview and makes no call). */
export interface CheckContext {
  targets: TargetResolver;
  registry: MembershipRegistry;
  workspaces: WorkspaceRegistry;
  groupNames: GroupNames;
}

/** Waits that the environment tunes (DATABRICKS_SCIM_*; provider/runtime/settings.ts reads them). */
export interface LifecycleSettings {
  /** How long a workspace assignment PUT keeps retrying "not yet" answers (DATABRICKS_SCIM_ASSIGNMENT_WAIT_MS). */
  readonly assignmentWaitMs: number;
}

/** What create, read, update and delete get: everything bound to the call's target. */
export interface CallContext {
  readonly settings: LifecycleSettings;
  /** The client for this call's target (one per target and credential source per process). */
  readonly client: ScimClient;
  readonly lag: ReadLag;
  readonly journal: CreateJournal;
  readonly reads: BatchedReads;
  /** Bound to `client`. */
  readonly groups: GroupReads;
  /** Bound to `client`. */
  readonly members: MemberChanges;
  readonly registry: MembershipRegistry;
  readonly workspaces: WorkspaceRegistry;
  readonly groupNames: GroupNames;
}

/** How a bound lifecycle gets its contexts: the check context, and a context per call for a target. */
export interface Contexts {
  check(): CheckContext;
  call(target: TargetInputs): CallContext;
}
