// Which workspaces the account has: from the `workspaces` option, else the ones saved with --state, else one
// workspace. Federated unless `federated: false` (or the entry's own `federated`), as Databricks makes every
// workspace since November 2023; a saved state keeps what it was created with (files from before workspaces
// existed had one non-federated workspace).
import { newWorkspaceId } from "../ids";
import type { Identity, WorkspaceInfo } from "../model";
import type { EmulatorOptions } from "../options";

export function resolveWorkspaces(options: EmulatorOptions, saved: Identity | undefined): WorkspaceInfo[] {
  const savedList = saved?.workspaces ?? (saved ? [{ id: saved.workspaceId, federated: false }] : []);
  const primaryId = options.workspaceId ?? saved?.workspaceId;
  const given = options.workspaces;
  let out: WorkspaceInfo[];
  if (given === undefined) {
    out = savedList.length > 0 ? savedList.map((w) => ({ ...w })) : [{ id: primaryId ?? newWorkspaceId(), federated: options.federated ?? true }];
    if (options.workspaceId !== undefined && out[0]) out[0].id = options.workspaceId;
  } else {
    const entries = typeof given === "number" ? Array.from({ length: given }, () => ({})) : given;
    if (typeof given === "number" && (!Number.isInteger(given) || given < 1)) throw new Error("workspaces must be a positive integer");
    out = entries.map((w: { id?: string; federated?: boolean }, i) => ({
      id: w.id ?? (i === 0 ? primaryId : undefined) ?? savedList[i]?.id ?? newWorkspaceId(),
      federated: w.federated ?? options.federated ?? true,
    }));
  }
  for (const w of out) if (!/^\d+$/.test(w.id)) throw new Error(`workspace id ${w.id} must be numeric`);
  if (new Set(out.map((w) => w.id)).size !== out.length) throw new Error("workspace ids must be distinct");
  return out;
}

/** Ports asked for per workspace (index = position), from the `workspaces` option. */
export function workspacePorts(options: EmulatorOptions): (number | undefined)[] {
  return Array.isArray(options.workspaces) ? options.workspaces.map((w) => w.port) : [];
}
