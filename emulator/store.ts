// In-memory state and transactions.
//
// Every write runs in a Tx: changes are staged as copies and only applied on commit, so a request that fails
// half-way (e.g. the third PATCH operation, spec §4 / RFC "the request is atomic") leaves nothing behind.
// Staging per object (copy-on-first-write) keeps writes O(touched objects), not O(state).
//
// Committed state also keeps the parent index (member id → ids of the groups listing it) current, commit by
// commit, from each group's member delta: rebuilding it after every write made bulk creates quadratic.
import { addedOf, memberDelta, removedOf, type MemberDelta } from "./memberdelta";
import type { AnyStored, Level, ResourceType, StoredByKind, StoredUser } from "./model";
import { cloneStored, KINDS } from "./model";
import { buildParentIndex, type ParentIndex } from "./membership";

/** One object's change in a commit: before/after images (undefined = absent) and, for groups, the member delta. */
export interface Change {
  level: Level;
  kind: ResourceType;
  id: string;
  before: AnyStored | undefined;
  after: AnyStored | undefined;
  members?: MemberDelta;
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

  constructor(readonly level: Level) {}

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
  applyStaged(staged: { [K in ResourceType]: Map<string, StoredByKind[K] | null> }): Change[] {
    const changes: Change[] = [];
    for (const [id, u] of staged.Users) {
      const old = this.data.Users.get(id);
      if (old) this.userIds.delete(old.userName);
      if (u) {
        this.data.Users.set(id, u);
        this.userIds.set(u.userName, id);
      } else this.data.Users.delete(id);
      changes.push({ level: this.level, kind: "Users", id, before: old, after: u ?? undefined });
    }
    for (const [id, g] of staged.Groups) {
      const old = this.data.Groups.get(id);
      if (g) this.data.Groups.set(id, g);
      else this.data.Groups.delete(id);
      const members = memberDelta(old?.members, g?.members);
      this.indexDelta(id, members);
      changes.push({ level: this.level, kind: "Groups", id, before: old, after: g ?? undefined, members });
    }
    for (const [id, sp] of staged.ServicePrincipals) {
      const old = this.data.ServicePrincipals.get(id);
      if (sp) this.data.ServicePrincipals.set(id, sp);
      else this.data.ServicePrincipals.delete(id);
      changes.push({ level: this.level, kind: "ServicePrincipals", id, before: old, after: sp ?? undefined });
    }
    this.version++;
    return changes;
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

  constructor(private readonly base: LevelState) {}

  get level(): Level {
    return this.base.level;
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

  get dirty(): boolean {
    return KINDS.some((k) => this.staged[k].size > 0);
  }

  commit(): Change[] {
    return this.dirty ? this.base.applyStaged(this.staged) : [];
  }
}

export type { LevelTx };

export class State {
  readonly workspace = new LevelState("workspace");
  readonly account = new LevelState("account");

  at(level: Level): LevelState {
    return level === "workspace" ? this.workspace : this.account;
  }

  /** Is this id used anywhere (both levels share one id space, so a propagated user can keep its id)? */
  idInUse(id: string): boolean {
    return this.workspace.kindOf(id) !== undefined || this.account.kindOf(id) !== undefined;
  }
}

export class Tx {
  private readonly levels = new Map<Level, LevelTx>();

  constructor(private readonly state: State) {}

  at(level: Level): LevelTx {
    let t = this.levels.get(level);
    if (!t) {
      t = new LevelTx(this.state.at(level));
      this.levels.set(level, t);
    }
    return t;
  }

  get dirty(): boolean {
    return [...this.levels.values()].some((l) => l.dirty);
  }

  /** Apply every level's staged changes; returns what changed, in commit order. */
  commit(): Change[] {
    const changes: Change[] = [];
    for (const l of this.levels.values()) changes.push(...l.commit());
    return changes;
  }
}
