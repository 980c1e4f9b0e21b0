import * as fs from "node:fs";
import * as path from "node:path";
import type { JournalEvent, Prior } from "../lifecycle/types";
import { makeFolderOf } from "./ownFolder";

export type { JournalEvent, Prior };

/**
 * Creates that an interrupted run may have made without the engine recording them.
 *
 * Why: when `pulumi up` is killed (kill -9, a crash, a CI timeout) between our POST and the engine's checkpoint,
 * the object exists on the server but the state only has a "pending create" without an id. The next `up` creates
 * the resource again: for users and groups the POST answers 409 ("already exists", and without `adopt` that
 * fails), and for service principals without applicationId it silently makes a duplicate. Pulumi cannot tell
 * us (a dynamic provider sees only inputs), so the provider notes each POST here, before sending it and once its
 * outcome is known, and the next run's create of the same natural key on the same target takes over what an
 * earlier run made (ids from `created`, or a lookup after a `posting` without outcome) instead of failing or
 * duplicating.
 *
 * The journal is a JSON-lines file in the Pulumi project directory (the provider process's cwd):
 * `.pulumi-databricks-scim/creates.jsonl`, or DATABRICKS_SCIM_JOURNAL (a path, or "off"). Entries older than
 * JOURNAL_TTL_MS are ignored and dropped. A delete writes `deleted`, so a later create of the same key starts
 * afresh. Keys include the Pulumi project, the target and the kind.
 */
export const JOURNAL_TTL_MS = 24 * 60 * 60_000;

export interface JournalEntry {
  at: number;
  key: string;
  event: JournalEvent;
  /** created/deleted: the SCIM id. */
  id?: string;
  /** posting, for keys that are not unique (SP display names): the ids that had the name before the POST. */
  before?: string[];
  pid: number;
}

function journalPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.DATABRICKS_SCIM_JOURNAL;
  if (v === "off") return undefined;
  return v && v !== "" ? v : path.join(process.cwd(), ".pulumi-databricks-scim", "creates.jsonl");
}

/** Entries written by earlier processes, read once per process (this process's own are handled in memory). */
let earlier: Map<string, Prior> | undefined;

function loadEarlier(file: string): Map<string, Prior> {
  const out = new Map<string, Prior>();
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return out;
  }
  const now = Date.now();
  const keep: string[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let e: JournalEntry;
    try {
      e = JSON.parse(line) as JournalEntry;
    } catch {
      continue; // a torn last line from a killed process
    }
    if (now - e.at > JOURNAL_TTL_MS) continue;
    keep.push(line);
    const prev = out.get(e.key);
    // A delete names the id only (the key may have changed since: a renamed group): it closes every key with it.
    if (e.event === "deleted") for (const [k, p] of out) if (p.id === e.id) out.delete(k);
    // A `posting` after a `created` of the same key is a new attempt; `failed`/`deleted` close the story.
    if (e.event === "failed" || e.event === "deleted" || e.event === "refused") out.delete(e.key);
    else if (e.event === "created" || !prev || prev.event !== "created") out.set(e.key, { at: e.at, event: e.event, id: e.id, before: e.before });
  }
  // Drop expired lines so the file stays small (best effort: a concurrent writer may lose nothing but an old line).
  if (keep.length < text.split("\n").filter((l) => l.trim() !== "").length) {
    try {
      fs.writeFileSync(file, keep.map((l) => `${l}\n`).join(""));
    } catch {
      // read-only project directory: the journal is an aid, never a reason to fail
    }
  }
  return out;
}

/** `project`: the Pulumi project (the engine gives the provider process PULUMI_PROJECT). */
export function journalKey(
  parts: { host: string; level: string; accountId?: string },
  kind: string,
  naturalKey: string,
  project: string = process.env.PULUMI_PROJECT ?? "",
): string {
  return [project, parts.host, parts.level, parts.accountId ?? "", kind, naturalKey.toLowerCase()].join("|");
}

export function priorCreate(key: string): Prior | undefined {
  const file = journalPath();
  if (!file) return undefined;
  earlier ??= loadEarlier(file);
  return earlier.get(key);
}

/** Journal files whose folder this process has made (one mkdir per file, not one per entry). */
const madeDirs = new Set<string>();

/** `extra.at` backdates an entry (runtime/pendingCreates.ts notes a dead run's creates at that run's time). */
export function record(key: string, event: JournalEvent, extra: { id?: string; before?: string[]; at?: number } = {}): void {
  const file = journalPath();
  if (!file) return;
  earlier ??= loadEarlier(file);
  // What this process settles is settled for it too: a second create of the key in this process starts afresh.
  if (event !== "posting") earlier.delete(key);
  if (event === "deleted") for (const [k, p] of earlier) if (p.id === extra.id) earlier.delete(k);
  const entry: JournalEntry = { at: Date.now(), key, event, ...extra, pid: process.pid };
  try {
    if (!madeDirs.has(file)) {
      makeFolderOf(file);
      madeDirs.add(file);
    }
    // One short line per append (O_APPEND): concurrent writers interleave whole lines.
    fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
  } catch {
    // as above: never fail an operation over the journal (the next entry tries the folder again)
    madeDirs.delete(file);
  }
}

/** The resource with this id was deleted (or deactivated) by its resource: nothing to take over any more. */
export function recordDeleted(id: string): void {
  record("", "deleted", { id });
}

/**
 * `pulumi-databricks-scim-recover --take ID`: a person says that the object a create was refused on ("already
 * exists", no evidence it is this stack's; the `refused` entry the create wrote) is the one an interrupted run of
 * this stack made. Notes it as created with that id, under the refused create's key, so that the next `up` takes
 * that object over (runtime/../lifecycle/kind.ts, by id, if it still has the key) and nothing else. Returns the
 * key, or undefined when no create in this folder was refused on that id within the journal's lifetime.
 */
export function takeRefused(id: string): string | undefined {
  const file = journalPath();
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let key: string | undefined;
  for (const line of text.split("\n")) {
    try {
      const e = JSON.parse(line) as JournalEntry;
      if (e.event === "refused" && e.id === id && Date.now() - e.at <= JOURNAL_TTL_MS) key = e.key;
    } catch {
      // blank or torn line
    }
  }
  if (key !== undefined) record(key, "created", { id });
  return key;
}

/** Tests: forget what was read, as in a new process. */
export function resetJournalCache(): void {
  earlier = undefined;
  madeDirs.clear();
}
