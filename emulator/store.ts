// In-memory state and transactions.
//
// Every write runs in a Tx: changes are staged as copies and only applied on commit, so a request that fails
// half-way (e.g. the third PATCH operation; RFC 7644: "the request is atomic") leaves nothing behind.
// Staging per object (copy-on-first-write) keeps writes O(touched objects), not O(state).
//
// Committed state also keeps the parent index (member id → ids of the groups listing it) current, commit by
// commit, from each group's member delta: rebuilding it after every write made bulk creates quadratic.
import { addedOf, memberDelta, removedOf, type MemberDelta } from "./memberdelta";
import type { AnyStored, Level, Permission, ResourceType, StoredByKind, StoredUser } from "./model";
import { cloneStored, KINDS } from "./model";
import { buildParentIndex, type ParentIndex } from "./membership";

/** One object's change in a commit: before/after images (undefined = absent) and, for groups, the member delta. */
export interface Change {
  level: Level;
  /** Which workspace, for workspace-level changes. */
  workspaceId?: string;
  kind: ResourceType;
  id: string;
  before: AnyStored | undefined;
  after: AnyStored | undefined;
  members?: MemberDelta;
}

/** A workspace permission assignment changed (undefined = none). Kept apart from object changes. */
export interface AssignmentChange {
  workspaceId: string;
  principalId: string;
  before: Permission | undefined;
  after: Permission | undefined;
}

/** What one commit changed. */
export interface Commit {
  changes: Change[];
  assignments: AssignmentChange[];
}

type Collections = { [K in ResourceType]: Map<string, StoredByKind[K]> };

/** Read access shared by committed state and a transaction's overlay. */
export interface LevelView {
  readonly level: Level;
  get<K extends ResourceType>(kind: K, id: string): StoredByKind[K] | undefined;
  list<K extends ResourceType>(kind: K): StoredByKind[K][];
  kindOf(id: string): ResourceType | undefined;
  /** User by (lower-cased) userName; O(1), because bulk creates check duplicates every time. */
  userByName(userName: string): StoredUser | undefined;
  /** Workspace permission of an account principal (workspace levels of federated workspaces only). */
  assignment(principalId: string): Permission | undefined;
  /** Every direct assignment, principal id → permission. */
  assignmentEntries(): [string, Permission][];
}

function emptyCollections(): Collections {
  return { Users: new Map(), Groups: new Map(), ServicePrincipals: new Map() };
}

export class LevelState implements LevelView {
  data: Collections = emptyCollections();
  /** Bumped on every commit; render caches key on it. */
  version = 0;
  /** userName → id, kept in step by commit()/reindex() (userName is immutable, so entries only come and go). */
  private readonly userIds = new Map<string, string>();
  private index: Map<string, string[]> = new Map();
  /** principal id → permission (workspace-assignment API); empty at account level. */
  readonly assignments = new Map<string, Permission>();

  constructor(
    readonly level: Level,
    /** The workspace's id, for workspace levels. */
    readonly workspaceId?: string,
  ) {}

  assignment(principalId: string): Permission | undefined {
    return this.assignments.get(principalId);
  }

  assignmentEntries(): [string, Permission][] {
    return [...this.assignments];
  }

  /** Live parent index of committed state (do not mutate; it changes with every commit). */
  get parents(): ParentIndex {
    return this.index;
  }

  private indexDelta(groupId: string, delta: MemberDelta): void {
    for (const v of removedOf(delta)) {
      const list = this.index.get(v);
      if (!list) continue;
      const at = list.indexOf(groupId);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.index.delete(v);
    }
    for (const m of addedOf(delta)) {
      const list = this.index.get(m.value);
      if (!list) this.index.set(m.value, [groupId]);
      else if (!list.includes(groupId)) list.push(groupId);
    }
  }

  userByName(userName: string): StoredUser | undefined {
    const id = this.userIds.get(userName.toLowerCase());
    return id === undefined ? undefined : this.data.Users.get(id);
  }

  /** Rebuild derived indexes after data was loaded directly (persistence). */
  reindex(): void {
    this.userIds.clear();
    for (const u of this.data.Users.values()) this.userIds.set(u.userName, u.id);
    this.index = buildParentIndex(this);
    this.version++;
  }

  /** Apply staged changes and report them; only LevelTx calls this. */
  applyStaged(staged: { [K in ResourceType]: Map<string, StoredByKind[K] | null> }, assignments: Map<string, Permission | null>): Commit {
    const changes: Change[] = [];
    const assignmentChanges: AssignmentChange[] = [];
    for (const [principalId, p] of assignments) {
      const before = this.assignments.get(principalId);
      if (p) this.assignments.set(principalId, p);
      else this.assignments.delete(principalId);
      if (before !== (p ?? undefined)) {
        assignmentChanges.push({ workspaceId: this.workspaceId as string, principalId, before, after: p ?? undefined });
      }
    }
    for (const [id, u] of staged.Users) {
      const old = this.data.Users.get(id);
      if (old) this.userIds.delete(old.userName);
      if (u) {
        this.data.Users.set(id, u);
        this.userIds.set(u.userName, id);
      } else this.data.Users.delete(id);
      changes.push(this.change("Users", id, old, u ?? undefined));
    }
    for (const [id, g] of staged.Groups) {
      const old = this.data.Groups.get(id);
      if (g) this.data.Groups.set(id, g);
      else this.data.Groups.delete(id);
      const members = memberDelta(old?.members, g?.members);
      this.indexDelta(id, members);
      changes.push({ ...this.change("Groups", id, old, g ?? undefined), members });
    }
    for (const [id, sp] of staged.ServicePrincipals) {
      const old = this.data.ServicePrincipals.get(id);
      if (sp) this.data.ServicePrincipals.set(id, sp);
      else this.data.ServicePrincipals.delete(id);
      changes.push(this.change("ServicePrincipals", id, old, sp ?? undefined));
    }
    this.version++;
    return { changes, assignments: assignmentChanges };
  }

  private change(kind: ResourceType, id: string, before: AnyStored | undefined, after: AnyStored | undefined): Change {
    const c: Change = { level: this.level, kind, id, before, after };
    if (this.workspaceId !== undefined) c.workspaceId = this.workspaceId;
    return c;
  }

  get<K extends ResourceType>(kind: K, id: string): StoredByKind[K] | undefined {
    return this.data[kind].get(id);
  }

  list<K extends ResourceType>(kind: K): StoredByKind[K][] {
    return [...this.data[kind].values()];
  }

  kindOf(id: string): ResourceType | undefined {
    return KINDS.find((k) => this.data[k].has(id));
  }

  clear(): void {
    this.data = emptyCollections();
    this.assignments.clear();
    this.userIds.clear();
    this.index = new Map();
    this.version++;
  }
}

/** Staged changes on one level: a value is a new/changed object, null a deletion. */
class LevelTx implements LevelView {
  private readonly staged: { [K in ResourceType]: Map<string, StoredByKind[K] | null> } = {
    Users: new Map(),
    Groups: new Map(),
    ServicePrincipals: new Map(),
  };
  private readonly stagedAssignments = new Map<string, Permission | null>();

  constructor(private readonly base: LevelState) {}

  get level(): Level {
    return this.base.level;
  }

  get workspaceId(): string | undefined {
    return this.base.workspaceId;
  }

  assignment(principalId: string): Permission | undefined {
    if (this.stagedAssignments.has(principalId)) return this.stagedAssignments.get(principalId) ?? undefined;
    return this.base.assignment(principalId);
  }

  assignmentEntries(): [string, Permission][] {
    const out = new Map(this.base.assignments);
    for (const [id, p] of this.stagedAssignments) {
      if (p) out.set(id, p);
      else out.delete(id);
    }
    return [...out];
  }

  /** Stage a workspace permission (undefined = remove the assignment). */
  setAssignment(principalId: string, permission: Permission | undefined): void {
    this.stagedAssignments.set(principalId, permission ?? null);
  }

  get<K extends ResourceType>(kind: K, id: string): StoredByKind[K] | undefined {
    const staged = this.staged[kind] as Map<string, StoredByKind[K] | null>;
    if (staged.has(id)) return staged.get(id) ?? undefined;
    return this.base.get(kind, id);
  }

  /** A private copy of the object that this transaction may change freely. */
  mutable<K extends ResourceType>(kind: K, id: string): StoredByKind[K] | undefined {
    const staged = this.staged[kind] as Map<string, StoredByKind[K] | null>;
    if (staged.has(id)) return staged.get(id) ?? undefined;
    const current = this.base.get(kind, id);
    if (!current) return undefined;
    const copy = cloneStored(current);
    staged.set(id, copy);
    return copy;
  }

  put<K extends ResourceType>(kind: K, obj: StoredByKind[K]): void {
    (this.staged[kind] as Map<string, StoredByKind[K] | null>).set(obj.id, obj);
  }

  remove(kind: ResourceType, id: string): void {
    this.staged[kind].set(id, null);
  }

  list<K extends ResourceType>(kind: K): StoredByKind[K][] {
    const staged = this.staged[kind] as Map<string, StoredByKind[K] | null>;
    const out: StoredByKind[K][] = [];
    for (const [id, obj] of this.base.data[kind] as Map<string, StoredByKind[K]>) {
      if (!staged.has(id)) out.push(obj);
    }
    for (const obj of staged.values()) if (obj) out.push(obj);
    return out;
  }

  kindOf(id: string): ResourceType | undefined {
    return KINDS.find((k) => this.get(k, id) !== undefined);
  }

  userByName(userName: string): StoredUser | undefined {
    const lower = userName.toLowerCase();
    for (const u of this.staged.Users.values()) if (u && u.userName === lower) return u;
    const committed = this.base.userByName(lower);
    // A committed user deleted or replaced in this transaction no longer counts.
    return committed && !this.staged.Users.has(committed.id) ? committed : undefined;
  }

  /** Ids staged in this transaction, per kind (for the federation sync: what did this write touch?). */
  touched(): { kind: ResourceType; id: string }[] {
    return KINDS.flatMap((kind) => [...this.staged[kind].keys()].map((id) => ({ kind, id })));
  }

  /** Principals whose assignment this transaction changed. */
  touchedAssignments(): string[] {
    return [...this.stagedAssignments.keys()];
  }

  get dirty(): boolean {
    return KINDS.some((k) => this.staged[k].size > 0) || this.stagedAssignments.size > 0;
  }

  commit(): Commit {
    return this.dirty ? this.base.applyStaged(this.staged, this.stagedAssignments) : { changes: [], assignments: [] };
  }
}

export type { LevelTx };

/** The account and its workspaces. The first workspace is the primary one (`workspace`). */
export class State {
  readonly account = new LevelState("account");
  readonly workspaces = new Map<string, LevelState>();
  private readonly federation = new Map<string, boolean>();

  constructor(workspaces: readonly { id: string; federated: boolean }[]) {
    if (workspaces.length === 0) throw new Error("an account needs at least one workspace");
    for (const w of workspaces) {
      if (this.workspaces.has(w.id)) throw new Error(`workspace id ${w.id} is given twice`);
      this.workspaces.set(w.id, new LevelState("workspace", w.id));
      this.federation.set(w.id, w.federated);
    }
  }

  /** The primary workspace. */
  get workspace(): LevelState {
    return this.workspaces.values().next().value as LevelState;
  }

  /** A level: the account, or a workspace (the primary one unless `workspaceId` names another). */
  at(level: Level, workspaceId?: string): LevelState {
    if (level === "account") return this.account;
    if (workspaceId === undefined) return this.workspace;
    const ws = this.workspaces.get(workspaceId);
    if (!ws) throw new Error(`unknown workspace ${workspaceId}`);
    return ws;
  }

  isFederated(workspaceId: string): boolean {
    return this.federation.get(workspaceId) ?? false;
  }

  /** Is this id used anywhere (all levels share one id space, so a propagated user can keep its id)? */
  idInUse(id: string): boolean {
    if (this.account.kindOf(id) !== undefined) return true;
    for (const ws of this.workspaces.values()) if (ws.kindOf(id) !== undefined) return true;
    return false;
  }
}

export class Tx {
  private readonly levels = new Map<LevelState, LevelTx>();
  /** Principals a federated workspace create already linked and assigned (the federation sync skips them). */
  readonly linked = new Set<string>();
  /** Federated workspaces whose account principals this write removed or changed on the workspace side. */
  readonly resync = new Set<string>();

  /** `workspaceId`: the workspace that `at("workspace")` means (default: the primary one). */
  constructor(
    private readonly state: State,
    readonly workspaceId: string = state.workspace.workspaceId as string,
  ) {}

  at(level: Level): LevelTx {
    return this.of(this.state.at(level, this.workspaceId));
  }

  /** Any workspace's staged view (federation keeps every workspace in step with the account). */
  workspace(workspaceId: string): LevelTx {
    return this.of(this.state.at("workspace", workspaceId));
  }

  private of(base: LevelState): LevelTx {
    let t = this.levels.get(base);
    if (!t) {
      t = new LevelTx(base);
      this.levels.set(base, t);
    }
    return t;
  }

  get dirty(): boolean {
    return [...this.levels.values()].some((l) => l.dirty);
  }

  /** Apply every level's staged changes; returns what changed, in commit order. */
  commit(): Commit {
    const out: Commit = { changes: [], assignments: [] };
    for (const l of this.levels.values()) {
      const c = l.commit();
      out.changes.push(...c.changes);
      out.assignments.push(...c.assignments);
    }
    return out;
  }
}
