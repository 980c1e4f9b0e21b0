// Read-after-write lag (Databricks reads/listings are eventually consistent after create/rename/delete, up to ~60 s,
// not monotonic; UCX polls for it). Commits are recorded with the object's image from BEFORE the write; for
// `lag.windowMs` afterwards, GET by id and lists read through a LagView that shows that older image (a create
// is absent, so GET by id 404s; a delete is still there; a rename shows the old name).
//
// Writes themselves, auth, write responses and /__emulator/dump see committed state: the backend is consistent,
// only its read replicas lag.
import { AsyncLocalStorage } from "node:async_hooks";
import type { AnyStored, Level, Permission, ResourceType, StoredByKind, StoredUser } from "../model";
import { KINDS } from "../model";
import type { Middleware } from "../pipeline";
import type { Change, LevelState, LevelView } from "../store";
import type { FaultRuntime } from "./runtime";
import type { LagOp } from "./settings";

interface Pending {
  kind: ResourceType;
  id: string;
  /** Image the lagging reader sees; undefined = the object does not exist for it. */
  before: AnyStored | undefined;
  /** Last write to the object; the window counts from here. */
  writtenAt: number;
  windowMs: number;
}

function opOf(c: Change): LagOp {
  if (!c.before) return "create";
  if (!c.after) return "delete";
  if (c.kind === "Groups" && (c.before as StoredByKind["Groups"]).displayName !== (c.after as StoredByKind["Groups"]).displayName) {
    return "rename";
  }
  return "update";
}

/** Per-request: did this request see anything stale? (Counts `lagged` once per request.) */
const requestScope = new AsyncLocalStorage<{ stale: boolean }>();

export class LagRecorder {
  /** Per level: "account", or "workspace:<id>" (each workspace lags on its own). */
  private readonly pending = new Map<string, Map<string, Pending>>();

  private scope(level: Level, workspaceId: string | undefined): Map<string, Pending> {
    const key = level === "account" ? "account" : `workspace:${workspaceId}`;
    let map = this.pending.get(key);
    if (!map) {
      map = new Map();
      this.pending.set(key, map);
    }
    return map;
  }

  constructor(private readonly rt: FaultRuntime) {}

  record(changes: Change[], now = Date.now()): void {
    const { windowMs, ops } = this.rt.settings.lag;
    if (windowMs <= 0) return;
    for (const c of changes) {
      const key = `${c.kind}/${c.id}`;
      const map = this.scope(c.level, c.workspaceId);
      const existing = map.get(key);
      if (existing && now - existing.writtenAt < existing.windowMs) {
        // Still lagging: readers keep seeing the older image until the window after THIS write ends.
        existing.writtenAt = now;
        existing.windowMs = windowMs;
        continue;
      }
      if (!ops.includes(opOf(c))) continue;
      map.set(key, { kind: c.kind, id: c.id, before: c.before, writtenAt: now, windowMs });
    }
  }

  clear(): void {
    this.pending.clear();
  }

  /** A view for one read, or undefined when nothing at this level is lagging (the common, fast case). */
  viewFor(base: LevelState, now = Date.now()): LevelView | undefined {
    const map = this.scope(base.level, base.workspaceId);
    for (const [key, p] of map) if (now - p.writtenAt >= p.windowMs) map.delete(key);
    if (map.size === 0) return undefined;
    return new LagView(base, map, this.rt, now);
  }
}

/**
 * Committed state with the pending writes hidden. Each stale/fresh decision is made once per view, i.e. per
 * request, so one response is self-consistent while successive requests need not be (random mode).
 */
class LagView implements LevelView {
  private readonly decided = new Map<string, boolean>();

  constructor(
    private readonly base: LevelState,
    private readonly pending: Map<string, Pending>,
    private readonly rt: FaultRuntime,
    private readonly now: number,
  ) {}

  get level(): Level {
    return this.base.level;
  }

  /** The pending entry if this read should see it stale. */
  private stale(kind: ResourceType, id: string): Pending | undefined {
    const key = `${kind}/${id}`;
    const p = this.pending.get(key);
    if (!p) return undefined;
    let isStale = this.decided.get(key);
    if (isStale === undefined) {
      const elapsed = this.now - p.writtenAt;
      isStale = this.rt.settings.lag.mode === "fixed" ? elapsed < p.windowMs : this.rt.rng() >= elapsed / p.windowMs;
      this.decided.set(key, isStale);
    }
    if (!isStale) return undefined;
    const scope = requestScope.getStore();
    if (scope) scope.stale = true;
    return p;
  }

  get<K extends ResourceType>(kind: K, id: string): StoredByKind[K] | undefined {
    const p = this.stale(kind, id);
    return p ? (p.before as StoredByKind[K] | undefined) : this.base.get(kind, id);
  }

  list<K extends ResourceType>(kind: K): StoredByKind[K][] {
    const out: StoredByKind[K][] = [];
    for (const obj of this.base.list(kind)) {
      const p = this.stale(kind, obj.id);
      if (!p) out.push(obj);
      else if (p.before) out.push(p.before as StoredByKind[K]);
    }
    // Deleted objects that stale readers still see.
    for (const p of this.pending.values()) {
      if (p.kind === kind && p.before && !this.base.get(kind, p.id) && this.stale(kind, p.id)) out.push(p.before as StoredByKind[K]);
    }
    return out;
  }

  kindOf(id: string): ResourceType | undefined {
    return KINDS.find((k) => this.get(k, id) !== undefined);
  }

  userByName(userName: string): StoredUser | undefined {
    const lower = userName.toLowerCase();
    return this.list("Users").find((u) => u.userName === lower);
  }

  // Assignments are not lagged: the lag fault is about SCIM reads.
  assignment(principalId: string): Permission | undefined {
    return this.base.assignment(principalId);
  }

  assignmentEntries(): [string, Permission][] {
    return this.base.assignmentEntries();
  }
}

/** Marks responses that served stale data as `lagged` (stats + request log). */
export function lagMiddleware(): Middleware {
  return async (req, next) => {
    const scope = { stale: false };
    const res = await requestScope.run(scope, () => next(req));
    return scope.stale && !res.fault ? { ...res, fault: "lagged" } : res;
  };
}
