// Optional on-disk state (`--state FILE`). The whole state is rewritten after every committed write, BEFORE
// the 2xx goes out, with write-temp + fsync + rename + fsync(dir): after a kill -9 the file holds either the
// previous or the new state, never a torn one, and nothing acknowledged is lost.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Identity, StoredGroup, StoredServicePrincipal, StoredUser } from "./model";
import { LevelState, State } from "./store";

interface LevelFile {
  users: StoredUser[];
  groups: StoredGroup[];
  servicePrincipals: StoredServicePrincipal[];
}

export interface StateFile {
  format: "databricks-scim-emulator/1";
  identity: Identity;
  workspace: LevelFile;
  account: LevelFile;
}

function levelToFile(l: LevelState): LevelFile {
  return { users: l.list("Users"), groups: l.list("Groups"), servicePrincipals: l.list("ServicePrincipals") };
}

function fileToLevel(f: LevelFile, l: LevelState): void {
  l.clear();
  for (const u of f.users) l.data.Users.set(u.id, u);
  for (const g of f.groups) l.data.Groups.set(g.id, g);
  for (const s of f.servicePrincipals) l.data.ServicePrincipals.set(s.id, s);
  l.reindex();
}

export function readStateFile(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, "utf8")) as StateFile;
  if (parsed.format !== "databricks-scim-emulator/1") throw new Error(`${path}: not an emulator state file`);
  return parsed;
}

export function applyStateFile(file: StateFile, state: State): void {
  fileToLevel(file.workspace, state.workspace);
  fileToLevel(file.account, state.account);
}

let tmpCounter = 0;

export function writeStateFile(path: string, identity: Identity, state: State): void {
  const file: StateFile = {
    format: "databricks-scim-emulator/1",
    identity,
    workspace: levelToFile(state.workspace),
    account: levelToFile(state.account),
  };
  const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
  const fd = openSync(tmp, "w", 0o600); // holds tokens: owner-only
  try {
    writeSync(fd, JSON.stringify(file));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  // fsync the directory so the rename itself survives a crash.
  try {
    const dfd = openSync(dirname(path), "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}
