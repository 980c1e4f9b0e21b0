// Optional on-disk state (`--state FILE`): a snapshot FILE plus an append-only journal FILE.journal.
//
// Rewriting the whole snapshot per write made 10,000 creates take many minutes (each write re-serialised every
// object), so each committed write now appends ONE journal line (the changed objects; for groups only the
// member delta) and fdatasyncs it BEFORE the 2xx goes out: nothing acknowledged is lost on kill -9. A crash
// mid-append leaves a torn last line, which was never acknowledged and is ignored on replay.
//
// Compaction writes a new snapshot (write-temp + fsync + rename + fsync(dir), so the file is never torn) with
// the next generation number, then deletes the journal. The journal's header names the generation it extends;
// a journal left over from before a compaction (crash between rename and unlink) has an older generation and
// is ignored. Compaction runs at start-up, on a clean close, on reset, and every COMPACT_* commits/bytes.
import { closeSync, existsSync, fdatasyncSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { memberDelta } from "./memberdelta";
import type { Identity, Level, MemberRef, Permission, ResourceType, StoredGroup, StoredServicePrincipal, StoredUser } from "./model";
import { LevelState, State, type AssignmentChange, type Change, type Commit } from "./store";

interface LevelFile {
  users: StoredUser[];
  groups: StoredGroup[];
  servicePrincipals: StoredServicePrincipal[];
  /** Workspace permission assignments, principal id → permission (federated workspaces). */
  assignments?: [string, Permission][];
}

export interface StateFile {
  format: "databricks-scim-emulator/1";
  identity: Identity;
  /** The primary workspace. */
  workspace: LevelFile;
  /** The other workspaces, by id (absent in files written before there could be several). */
  workspaces?: Record<string, LevelFile>;
  account: LevelFile;
  /** Which journal extends this snapshot (absent in files written before the journal existed = 0). */
  generation?: number;
}

const JOURNAL_FORMAT = "databricks-scim-emulator-journal/1";
const COMPACT_COMMITS = 20_000;
const COMPACT_BYTES = 64 * 1024 * 1024;

type GroupFields = Omit<StoredGroup, "members">;

/** One changed object. Groups carry their member change as a delta (`add`/`remove`) or a whole list (`members`). */
/** `workspaceId` on workspace-level ops (absent = the primary workspace, as in journals from before). */
type JournalOp =
  | { op: "put"; level: Level; workspaceId?: string; kind: "Users" | "ServicePrincipals"; obj: StoredUser | StoredServicePrincipal }
  | { op: "group"; level: Level; workspaceId?: string; obj: GroupFields; add?: MemberRef[]; remove?: string[]; members?: MemberRef[] }
  | { op: "delete"; level: Level; workspaceId?: string; kind: ResourceType; id: string }
  | { op: "assign"; workspaceId: string; principalId: string; permission?: Permission };

function levelToFile(l: LevelState): LevelFile {
  const f: LevelFile = { users: l.list("Users"), groups: l.list("Groups"), servicePrincipals: l.list("ServicePrincipals") };
  if (l.assignments.size > 0) f.assignments = l.assignmentEntries();
  return f;
}

function fileToLevel(f: LevelFile, l: LevelState): void {
  l.clear();
  for (const u of f.users) l.data.Users.set(u.id, u);
  for (const g of f.groups) l.data.Groups.set(g.id, g);
  for (const s of f.servicePrincipals) l.data.ServicePrincipals.set(s.id, s);
  for (const [id, p] of f.assignments ?? []) l.assignments.set(id, p);
}

export function readStateFile(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, "utf8")) as StateFile;
  if (parsed.format !== "databricks-scim-emulator/1") throw new Error(`${path}: not an emulator state file`);
  return parsed;
}

/** Load the snapshot and replay the journal that extends it (if any) into `state`. */
export function applyStateFile(file: StateFile, state: State, path: string): void {
  fileToLevel(file.workspace, state.workspace);
  // Workspaces the configuration no longer has are dropped; new ones start empty (bootstrapped by the core).
  for (const [id, level] of Object.entries(file.workspaces ?? {})) {
    const ws = state.workspaces.get(id);
    if (ws && ws !== state.workspace) fileToLevel(level, ws);
  }
  fileToLevel(file.account, state.account);
  replayJournal(journalPath(path), file.generation ?? 0, state);
  for (const ws of state.workspaces.values()) ws.reindex();
  state.account.reindex();
}

function journalPath(path: string): string {
  return `${path}.journal`;
}

function replayJournal(path: string, generation: number, state: State): void {
  if (!existsSync(path)) return;
  const lines = readFileSync(path, "utf8").split("\n");
  // The last element is whatever followed the final newline: empty, or a torn (never acknowledged) append.
  lines.pop();
  const header = parseLine(lines.shift());
  if (!header || header.format !== JOURNAL_FORMAT || header.generation !== generation) return;
  for (const line of lines) {
    const entry = parseLine(line);
    if (!entry || !Array.isArray(entry.ops)) return;
    for (const op of entry.ops as JournalOp[]) replayOp(op, state);
  }
}

function parseLine(line: string | undefined): Record<string, unknown> | undefined {
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function replayOp(op: JournalOp, state: State): void {
  const ws = op.op === "assign" || op.level === "workspace" ? workspaceOf(state, op.workspaceId) : state.account;
  if (!ws) return;
  if (op.op === "assign") {
    if (op.permission) ws.assignments.set(op.principalId, op.permission);
    else ws.assignments.delete(op.principalId);
    return;
  }
  const data = ws.data;
  if (op.op === "delete") {
    data[op.kind].delete(op.id);
  } else if (op.op === "put") {
    if (op.kind === "Users") data.Users.set(op.obj.id, op.obj as StoredUser);
    else data.ServicePrincipals.set(op.obj.id, op.obj as StoredServicePrincipal);
  } else {
    let members = op.members ?? data.Groups.get(op.obj.id)?.members ?? [];
    if (op.remove) {
      const gone = new Set(op.remove);
      members = members.filter((m) => !gone.has(m.value));
    }
    if (op.add) members = [...members, ...op.add];
    data.Groups.set(op.obj.id, { ...op.obj, members });
  }
}

function workspaceOf(state: State, id: string | undefined): LevelState | undefined {
  return id === undefined ? state.workspace : state.workspaces.get(id);
}

function toOp(c: Change): JournalOp {
  const where = c.workspaceId !== undefined && c.level === "workspace" ? { level: c.level, workspaceId: c.workspaceId } : { level: c.level };
  if (!c.after) return { op: "delete", ...where, kind: c.kind, id: c.id };
  if (c.kind !== "Groups") return { op: "put", ...where, kind: c.kind, obj: c.after as StoredUser | StoredServicePrincipal };
  const { members, ...fields } = c.after as StoredGroup;
  const delta = c.members ?? memberDelta((c.before as StoredGroup | undefined)?.members, members);
  if (delta.type === "append") return { op: "group", ...where, obj: fields, add: delta.added };
  if (delta.type === "remove") return { op: "group", ...where, obj: fields, remove: delta.removed };
  return { op: "group", ...where, obj: fields, members };
}

function assignOp(a: AssignmentChange): JournalOp {
  const op: JournalOp = { op: "assign", workspaceId: a.workspaceId, principalId: a.principalId };
  if (a.after) op.permission = a.after;
  return op;
}

let tmpCounter = 0;

function fsyncDir(path: string): void {
  try {
    const dfd = openSync(dirname(path), "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some platforms cannot fsync a directory; rename/unlink are still atomic.
  }
}

function writeSnapshot(path: string, file: StateFile): void {
  const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
  const fd = openSync(tmp, "w", 0o600); // holds tokens: owner-only
  try {
    writeSync(fd, JSON.stringify(file));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(path);
}

/** The state file plus its journal, for one running emulator. */
export class StateJournal {
  private fd: number | undefined;
  private commits = 0;
  private bytes = 0;

  constructor(
    private readonly path: string,
    private generation: number,
  ) {}

  /** Durably record one commit; returns only after the bytes are on disk. */
  append(commit: Commit): void {
    if (commit.changes.length === 0 && commit.assignments.length === 0) return;
    const fd = this.open();
    const line = JSON.stringify({ ops: [...commit.changes.map(toOp), ...commit.assignments.map(assignOp)] }) + "\n";
    writeSync(fd, line);
    fdatasyncSync(fd);
    this.commits++;
    this.bytes += line.length;
  }

  get wantsCompaction(): boolean {
    return this.commits >= COMPACT_COMMITS || this.bytes >= COMPACT_BYTES;
  }

  /** New snapshot of everything (next generation), then the journal goes. */
  compact(identity: Identity, state: State): void {
    this.closeFd();
    const next = this.generation + 1;
    writeSnapshot(this.path, {
      format: "databricks-scim-emulator/1",
      identity,
      workspace: levelToFile(state.workspace),
      workspaces: Object.fromEntries([...state.workspaces].filter(([, l]) => l !== state.workspace).map(([id, l]) => [id, levelToFile(l)])),
      account: levelToFile(state.account),
      generation: next,
    });
    this.generation = next;
    const journal = journalPath(this.path);
    if (existsSync(journal)) {
      unlinkSync(journal);
      fsyncDir(journal);
    }
    this.commits = 0;
    this.bytes = 0;
  }

  close(): void {
    this.closeFd();
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    const journal = journalPath(this.path);
    const fd = openSync(journal, "w", 0o600);
    writeSync(fd, JSON.stringify({ format: JOURNAL_FORMAT, generation: this.generation }) + "\n");
    fsyncSync(fd);
    fsyncDir(journal); // the new directory entry must survive a crash too
    this.fd = fd;
    return fd;
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
