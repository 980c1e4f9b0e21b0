import { fullInputs } from "../lifecycle/storedShape";
import { type CreateJournalStore, journalKey } from "./createJournal";

/**
 * Recovery of an interrupted `pulumi up` from the Pulumi state alone (README "Interrupted runs"), for a next run
 * that has none of the killed run's files (a fresh CI runner): the create journal is gone, but the state keeps
 * every create that was in flight as a *pending operation*, with the resource's URN and the inputs our `check`
 * returned (target and natural key included). The engine never hands those to a provider (its next `up` plans
 * the resource as a new create), so this module turns them into journal entries, "an earlier run sent this POST
 * and never saw the answer", before that `up` runs. The create then takes over what the dead run made, by the
 * same rules as after a local kill, and nothing else: an entry exists only for a URN the state says this stack
 * was creating.
 */

/** The parts of `pulumi stack export` read here (the file format is Pulumi's apitype.DeploymentV3). */
interface ExportedResource {
  urn?: string;
  type?: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface ExportedStack {
  deployment?: {
    manifest?: { time?: string };
    resources?: ExportedResource[];
    pending_operations?: { type?: string; resource?: ExportedResource }[];
  };
}

export interface PendingCreate {
  urn: string;
  kind: "user" | "group" | "servicePrincipal";
  /** The natural key as the journal spells it (a service principal without applicationId: `name:<displayName>`). */
  naturalKey: string;
  key: string;
  /** Service principals by name: the ids the state already holds with that name (never the dead run's object). */
  before?: string[];
}

const TYPE_PREFIX = "pulumi-nodejs:dynamic/scim:";

/** The kinds whose create can leave an object behind that a repeated create would trip over. */
function kindOf(type: string | undefined): PendingCreate["kind"] | undefined {
  switch (type) {
    case `${TYPE_PREFIX}User`:
      return "user";
    case `${TYPE_PREFIX}Group`:
      return "group";
    case `${TYPE_PREFIX}ServicePrincipal`:
      return "servicePrincipal";
    default:
      // Memberships need nothing: adding a member who is already there succeeds.
      return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → the project. */
function projectOf(urn: string): string | undefined {
  return urn.startsWith("urn:pulumi:") ? urn.split("::")[1] : undefined;
}

/** The pending creates of this package's identities in an exported state, with their journal keys. */
export function pendingCreates(exported: ExportedStack): PendingCreate[] {
  const d = exported.deployment ?? {};
  const out: PendingCreate[] = [];
  // A URN the state holds by now was created since (the engine keeps pending creates until a refresh clears them).
  const inState = new Set((d.resources ?? []).map((s) => s.urn));
  for (const op of d.pending_operations ?? []) {
    const r = op.resource;
    const kind = kindOf(r?.type);
    // Read as the lifecycle reads stored inputs (lifecycle/storedShape.ts fullInputs): a state written while the
    // pairstate branch was on main (d313d3a until its revert e9f324a) left the default level out of them.
    const inputs = kind ? fullInputs(kind, r?.inputs ?? {}) : {};
    const host = str(inputs.host);
    const level = str(inputs.level);
    const project = r?.urn ? projectOf(r.urn) : undefined;
    if (op.type !== "creating" || !kind || !r?.urn || inState.has(r.urn) || !host || !level || project === undefined) continue;
    const target = { host, level, ...(str(inputs.accountId) ? { accountId: str(inputs.accountId) as string } : {}) };
    let naturalKey: string | undefined;
    let before: string[] | undefined;
    if (kind === "user") naturalKey = str(inputs.userName);
    else if (kind === "group") naturalKey = str(inputs.displayName);
    else if (str(inputs.applicationId)) naturalKey = str(inputs.applicationId);
    else {
      const name = str(inputs.displayName) ?? "";
      naturalKey = `name:${name}`;
      before = (d.resources ?? [])
        .filter((s) => s.type === r.type && s.id && s.outputs?.displayName === name && s.outputs?.host === host)
        .map((s) => s.id as string);
    }
    if (!naturalKey) continue;
    out.push({ urn: r.urn, kind, naturalKey, key: journalKey(target, kind, naturalKey, project), ...(before ? { before } : {}) });
  }
  return out;
}

/**
 * Notes each pending create in the create journal as a POST without a seen answer, dated at the state's last
 * checkpoint (the dead run's last write), so that the lag wait after it is not restarted. Returns what it noted.
 */
export function notePendingCreates(journal: Pick<CreateJournalStore, "record">, exported: ExportedStack): PendingCreate[] {
  const found = pendingCreates(exported);
  const time = Date.parse(exported.deployment?.manifest?.time ?? "");
  const at = Number.isFinite(time) ? Math.min(time, Date.now()) : Date.now();
  for (const p of found) journal.record(p.key, "posting", { at, ...(p.before ? { before: p.before } : {}) });
  return found;
}
