import type { ScimClient } from "../client";
import type { CallContext, CheckContext, Contexts, LifecycleSettings } from "../lifecycle/context";
import type { Lifecycle, ResourceKind, TargetInputs } from "../lifecycle/types";
import { Connections } from "./connection";
import { CreateJournalStore } from "./createJournal";
import { DeclaredAdds } from "./declaredAdds";
import { GroupReadCache } from "./groupMembersCache";
import { DeclaredGroupNames } from "./groupNames";
import { MemberBatcher } from "./memberBatcher";
import { MembershipDeclarations } from "./membershipRegistry";
import { ReadBatchers } from "./readBatcher";
import { ReadLagTracker } from "./readLag";
import { processSettings, readStackSettings, type ProcessSettings, type StackSettings } from "./settings";
import { StatsReport } from "./statsReport";
import { WorkspaceClaims } from "./workspaceRegistry";

/**
 * What lives for the whole provider process, in one place: the settings read from the environment (once, here),
 * the stack configuration `configure` hands over, the clients, and every store a run's calls share (the read lag,
 * the create journal, the membership and workspace registries, the group names, the batchers and the group
 * cache). It implements the lifecycle ports (lifecycle/context.ts) as its methods. One process serves one engine
 * operation, so one session serves one operation; a test makes a fresh session where a new process would start.
 */
export class ProviderSession implements Contexts {
  readonly settings: ProcessSettings;
  /** The stack configuration (`databricks-scim:*`), as the engine's `configure` last handed it. */
  private stack: StackSettings = {};
  readonly lag: ReadLagTracker;
  readonly journal: CreateJournalStore;
  readonly registry = new MembershipDeclarations();
  readonly workspaces = new WorkspaceClaims();
  readonly groupNames = new DeclaredGroupNames();
  readonly reads = new ReadBatchers();
  readonly connections: Connections;
  private readonly stats: StatsReport;
  /** The dispatcher's lifecycles bound to this session (./index.ts), each made once. */
  readonly bound = new Map<ResourceKind, Lifecycle<object, object>>();
  /** The same as the dynamic resources' shims call them: in the stored shape (lifecycle/storedShape.ts). */
  readonly stored = new Map<ResourceKind, Lifecycle<object, object>>();
  /** Per client: its group reads, its batched member changes and what its membership creates carried. */
  private readonly perClient = new WeakMap<ScimClient, ClientStores>();

  constructor(opts: { env: NodeJS.ProcessEnv; cwd?: string }) {
    this.settings = processSettings(opts.env, opts.cwd);
    this.lag = new ReadLagTracker(this.settings.lagBoundMs);
    this.journal = new CreateJournalStore(this.settings.journalFile, this.settings.project);
    this.stats = new StatsReport(this.settings.statsFile);
    this.connections = new Connections(this.settings, (client) => this.stats.add(client));
  }

  /**
   * The engine's `configure`: keeps this package's keys. Keep it to storing values: the engine may call other
   * methods before it has finished (Pulumi's dynamic-provider host caches a provider before awaiting its `configure`).
   */
  configure(config: { get(key: string): string | undefined }): void {
    this.stack = readStackSettings(config);
  }

  stackSettings(): StackSettings {
    return this.stack;
  }

  check(): CheckContext {
    return { targets: this.connections.targetResolver(this.stack), registry: this.registry, workspaces: this.workspaces, groupNames: this.groupNames };
  }

  call(target: TargetInputs): CallContext {
    return new SessionCallContext(this, target);
  }

  /** The client of a call's target (one per target and credential source per process). */
  clientFor(target: TargetInputs): ScimClient {
    return this.connections.clientFor(target, this.stack);
  }

  /** The stores bound to one client. */
  storesOf(client: ScimClient): ClientStores {
    let stores = this.perClient.get(client);
    if (!stores) {
      const groups = new GroupReadCache(client, this.lag);
      const batcher = new MemberBatcher(client, groups, this.lag);
      stores = { groups, batcher, adds: new DeclaredAdds(batcher, this.registry) };
      this.perClient.set(client, stores);
    }
    return stores;
  }
}

export interface ClientStores {
  groups: GroupReadCache;
  batcher: MemberBatcher;
  adds: DeclaredAdds;
}

/**
 * A call's context. The client is made on first use (check-time resolution already proved the target usable;
 * a call that needs no client, such as a delete of a membership the program still claims, makes none), inside
 * the lifecycle call, so that a credential error is reported by it like any other.
 */
class SessionCallContext implements CallContext {
  readonly settings: LifecycleSettings;
  readonly lag;
  readonly journal;
  readonly reads;
  readonly registry;
  readonly workspaces;
  readonly groupNames;
  private made: ScimClient | undefined;

  constructor(
    private readonly session: ProviderSession,
    private readonly target: TargetInputs,
  ) {
    this.settings = { assignmentWaitMs: session.settings.assignmentWaitMs };
    this.lag = session.lag;
    this.journal = session.journal;
    this.reads = session.reads;
    this.registry = session.registry;
    this.workspaces = session.workspaces;
    this.groupNames = session.groupNames;
  }

  get client(): ScimClient {
    this.made ??= this.session.clientFor(this.target);
    return this.made;
  }

  readonly groups: CallContext["groups"] = {
    members: (groupId, opts) => this.session.storesOf(this.client).groups.members(groupId, opts),
    snapshot: (groupId) => this.session.storesOf(this.client).groups.snapshot(groupId),
    created: (group) => this.session.storesOf(this.client).groups.created(group),
  };

  readonly members: CallContext["members"] = {
    add: (groupId, memberId) => this.session.storesOf(this.client).adds.add(this.target, groupId, memberId),
    remove: (groupId, memberId) => this.session.storesOf(this.client).batcher.remove(groupId, memberId),
  };
}

/**
 * The provider process's session: made on first use (the engine's first `configure` or call), from the process's
 * environment. The only module-level state of provider/runtime (test/unit/runtime/moduleState.test.ts checks).
 */
let current: ProviderSession | undefined;

export function providerSession(): ProviderSession {
  current ??= new ProviderSession({ env: process.env });
  return current;
}
