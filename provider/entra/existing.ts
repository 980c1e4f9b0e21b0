// Coexistence with other sources of a Databricks group, checked when the program runs (preview included): a
// group the Entra provisioning connector made carries the Entra object id as externalId and is taken over; a
// group carrying another externalId belongs to another source and is refused; one carrying none was made by hand
// or by another program and is taken over only when the program says so (adoptUnmanaged).
import { anyOf, type Filter } from "../client";
import type { PlannedGroup } from "./plan";
import { DatabricksScimError } from "../shared/packageError";

/** Where the groups are looked up: plain values the program's process resolves as lookups do. */
export interface LookupPlace {
  host?: string;
  level?: "workspace" | "account";
  accountId?: string;
}

/** What the check needs of a Databricks group (the package's GroupInfo has these fields). */
export interface ExistingGroup {
  id: string;
  displayName: string;
  externalId?: string;
  host: string;
  /** At workspace level: an account group assigned to the workspace. */
  accountGroup: boolean;
}

/** The package's listGroups lookup, handed in by the entry point (provider/entraMirror.ts). */
export type GroupFinder = (args: LookupPlace & { filter?: Filter }) => Promise<ExistingGroup[]>;

/** A group to mirror exists already and belongs to another source (the console, another IdP, another stack). */
export class MirrorConflictError extends DatabricksScimError {
  readonly code = "MIRROR_CONFLICT";
  override readonly name = "MirrorConflictError";
}

const BATCH = 50;

/** Throws, naming every refused group, when one of the planned groups is another source's. */
export async function checkExistingGroups(groups: PlannedGroup[], target: LookupPlace, find: GroupFinder): Promise<void> {
  const byName = new Map<string, ExistingGroup>();
  for (let i = 0; i < groups.length; i += BATCH) {
    const names = groups.slice(i, i + BATCH).map((g) => g.displayName);
    for (const g of await find({ ...target, filter: anyOf("displayName", names) })) byName.set(g.displayName.toLowerCase(), g);
  }
  const problems = groups.flatMap((g) => {
    const found = byName.get(g.displayName.toLowerCase());
    const p = found ? conflict(g, found) : undefined;
    return p ? [p] : [];
  });
  if (problems.length > 0) throw new MirrorConflictError(problems.join("\n"));
}

function conflict(g: PlannedGroup, found: ExistingGroup): string | undefined {
  const entra = `Entra group '${g.entraName}' (${g.entraId})`;
  const there = `the Databricks group '${found.displayName}' (id ${found.id}) in ${found.host}`;
  if (found.accountGroup) {
    return `${g.displayName}: ${there} is an account group assigned to the workspace, which workspace SCIM cannot manage. Mirror ${entra} at level "account" instead.`;
  }
  if (found.externalId === g.entraId) return undefined; // the connector's, or an earlier run's: take it over
  if (found.externalId) {
    return (
      `${g.displayName}: ${there} carries externalId '${found.externalId}', so another source (an identity provider connector, another program) manages it; ` +
      `the mirror of ${entra} will not write into it. Stop that source for this group, or give the mirrored group another name (the group's \`name\`).`
    );
  }
  if (g.adoptUnmanaged) return undefined;
  return (
    `${g.displayName}: ${there} exists and has no externalId (made by hand or by another program). ` +
    `Set adoptUnmanaged: true on this group to let the mirror take it over (its members become those of ${entra}), or give the mirrored group another name.`
  );
}
