import type { ScimGroupArgs } from "./group";

/**
 * The program's side of the shadow-group rule (lifecycle/groupShadow.ts): which ScimGroups of this program have
 * the same name as a group at the other level (an account group and a workspace-level group not asked to be
 * workspace-local). The provider's check sees only what the engine has checked so far, and without a preview at
 * --parallel 1 the engine checks the next resource only once the previous create is done: a workspace-level
 * group declared first would be created before the account group's check. The program sees every group it
 * declares, so each group registers, in `declaration`, the resource names of its counterparts, and check
 * refuses from its own inputs, whatever the engine's order or parallelism.
 *
 * `declaration` resolves on the next turn of the event loop (setImmediate), so that the groups the program
 * declares together (in one synchronous run of its code, as programs usually do) all see each other, the first
 * as well as the last. Only levels and names the program gives as plain values are compared here; the rest
 * (a level from stack config, a name that is an output) is left to check's registry of the run.
 */

/** What a ScimGroup registers for the rule (one input: every registered key costs the program promises). */
export interface GroupDeclaration {
  /** The Pulumi resource name, for messages. */
  resourceName: string;
  /** ScimGroups of the same name at the other level, by resource name (absent when none). */
  otherLevel?: string[];
}

interface Declared {
  resourceName: string;
  name: string;
  level: "workspace" | "account";
  accountId?: string;
  /** A workspace-level group asked to be workspace-local, or maybe (workspaceLocal is an output): never a counterpart. */
  local: boolean;
}

/** This program's groups with a plain name and level (the program process runs one program). */
const declared: Declared[] = [];

function plain(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** The level as the provider would resolve it, when the program says it in plain values; else undefined. */
function plainLevel(args: ScimGroupArgs): "workspace" | "account" | undefined {
  const conn = (typeof args.connection === "object" && args.connection !== null ? args.connection : {}) as Record<string, unknown>;
  const level = args.level ?? conn.level;
  if (level === "workspace" || level === "account") return level;
  if (level !== undefined) return undefined;
  const host = args.host ?? conn.host;
  if (typeof host !== "string") return undefined;
  // As the provider does: an account console host (https://accounts. or accounts-dod.) means account level.
  return /^https:\/\/accounts(-dod)?\./i.test(host.trim()) ? "account" : "workspace";
}

function counterparts(self: Declared): string[] {
  if (self.level === "workspace" && self.local) return [];
  return declared
    .filter((d) => d !== self && d.name === self.name && d.level !== self.level && !(d.level === "workspace" && d.local))
    .filter((d) => d.accountId === undefined || self.accountId === undefined || d.accountId === self.accountId)
    .map((d) => d.resourceName);
}

/** Records the group and returns its `declaration` input. */
export function declareGroup(resourceName: string, args: ScimGroupArgs): Promise<GroupDeclaration> {
  const name = plain(args.displayName);
  const level = plainLevel(args);
  const conn = (typeof args.connection === "object" && args.connection !== null ? args.connection : {}) as Record<string, unknown>;
  const accountId = plain(args.accountId ?? conn.accountId);
  const self: Declared | undefined =
    name !== undefined && level !== undefined
      ? {
          resourceName,
          name: name.trim().toLowerCase(),
          level,
          ...(accountId ? { accountId } : {}),
          local: args.workspaceLocal !== undefined && args.workspaceLocal !== false,
        }
      : undefined;
  if (self) declared.push(self);
  return new Promise((resolve) =>
    setImmediate(() => {
      const others = self ? counterparts(self) : [];
      resolve({ resourceName, ...(others.length > 0 ? { otherLevel: others } : {}) });
    }),
  );
}
