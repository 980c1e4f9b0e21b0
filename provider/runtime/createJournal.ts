import * as fs from "node:fs";
import type { CreateJournal } from "../lifecycle/context";
import type { JournalEvent, Prior, TargetInputs } from "../lifecycle/types";
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
 * `.pulumi-databricks-scim/creates.jsonl`, or DATABRICKS_SCIM_JOURNAL (a path, or "off"; ./settings.ts journalFile). Entries older than
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
export function journalKey(parts: { host: string; level: string; accountId?: string }, kind: string, naturalKey: string, project: string): string {
  return [project, parts.host, parts.level, parts.accountId ?? "", kind, naturalKey.toLowerCase()].join("|");
}

/**
 * The journal of one file (undefined: off) as one process sees it: one per provider session (./session.ts), and
 * one per run of pulumi-databricks-scim-recover.
 */
export class CreateJournalStore implements CreateJournal {
  /** Entries written by earlier processes, read once (this process's own are handled in memory). */
  private earlier: Map<string, Prior> | undefined;
  /** Whether this process has made the file's folder (one mkdir, not one per entry). */
  private madeDir = false;

  constructor(
    readonly file: string | undefined,
    private readonly project: string,
  ) {}

  key(target: TargetInputs, kind: string, naturalKey: string): string {
    return journalKey(target, kind, naturalKey, this.project);
  }

  prior(key: string): Prior | undefined {
    if (!this.file) return undefined;
    this.earlier ??= loadEarlier(this.file);
    return this.earlier.get(key);
  }

  /** `extra.at` backdates an entry (runtime/pendingCreates.ts notes a dead run's creates at that run's time). */
  record(key: string, event: JournalEvent, extra: { id?: string; before?: string[]; at?: number } = {}): void {
    const file = this.file;
    if (!file) return;
    const earlier = (this.earlier ??= loadEarlier(file));
    // What this process settles is settled for it too: a second create of the key in this process starts afresh.
    if (event !== "posting") earlier.delete(key);
    if (event === "deleted") for (const [k, p] of earlier) if (p.id === extra.id) earlier.delete(k);
    const entry: JournalEntry = { at: Date.now(), key, event, ...extra, pid: process.pid };
    try {
      if (!this.madeDir) {
        makeFolderOf(file);
        this.madeDir = true;
      }
      // One short line per append (O_APPEND): concurrent writers interleave whole lines.
      fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
    } catch {
      // as above: never fail an operation over the journal (the next entry tries the folder again)
      this.madeDir = false;
    }
  }

  /** The resource with this id was deleted (or deactivated) by its resource: nothing to take over any more. */
  recordDeleted(id: string): void {
    this.record("", "deleted", { id });
  }

  /**
   * `pulumi-databricks-scim-recover --take ID`: a person says that the object a create was refused on ("already
   * exists", no evidence it is this stack's; the `refused` entry the create wrote) is the one an interrupted run of
   * this stack made. Notes it as created with that id, under the refused create's key, so that the next `up` takes
   * that object over (runtime/../lifecycle/kind.ts, by id, if it still has the key) and nothing else. Returns the
   * key, or undefined when no create in this folder was refused on that id within the journal's lifetime.
   */
  takeRefused(id: string): string | undefined {
    if (!this.file) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
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
    if (key !== undefined) this.record(key, "created", { id });
    return key;
  }
}
