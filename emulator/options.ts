// Emulator options: defaults, config-file loading, and the behaviour switches for every (U) point in the
// spec where a client could depend on one reading. Defaults pick the SAFER reading: the one under which a
// client that passes the tests also works against real Databricks.
import { readFileSync } from "node:fs";
import type { OAuthOptions } from "./oauth";
import type { FaultSettingsInput } from "./faults/settings";
import type { Middleware } from "./pipeline";
import type { GraphEmulatorOptions } from "./graph/options";

export type Cloud = "aws" | "azure" | "gcp";

export interface Behaviour {
  /** Max page size; larger `count` is clamped and the true itemsPerPage reported (clamp or reject: unconfirmed). */
  maxPageSize: number;
  /** Filter node limit (documented: ≤200 nodes else 400 invalidFilter). */
  maxFilterNodes: number;
  /** Workspace user create also creates the account user (documented). Deletes never propagate. */
  propagateWorkspaceUsersToAccount: boolean;
  /**
   * New workspace users/SPs become members of `users`, new account users/SPs of `account users` (Databricks:
   * "Entitlements for everyone are set on `users`"). (U) On by default so clients see the group in `groups`.
   */
  autoAddToUsersGroup: boolean;
  /**
   * (U) PUT without `members`/`groups`/`roles`/`entitlements` clears them. Default true: clients must do the
   * read-modify-write Terraform does (`UsersAPI.Update`); a client that forgets is caught here, not in production.
   */
  putOmittedListsClear: boolean;
  /** Account user 409 with the ". Note: emails are case insensitive …" suffix (the newer text). */
  accountUserConflictNote: boolean;
  /** (U) Account SP duplicate answers the SP text ("servicePrincipal") or the account-user text ("user"). */
  accountServicePrincipalConflictText: "servicePrincipal" | "user";
  /** Account group LIST returns `members` (false since 2025-08-22, Go SDK docs; true = grandfathered account). */
  accountListGroupsIncludeMembers: boolean;
  /**
   * (U) Only the documented filter operators (eq ne co sw, and or) are accepted; others (ew, gt, pr,
   * not, [..]) → 400 invalidFilter, and unknown attribute names too. Default true (safer: a client relying on
   * an undocumented operator fails here).
   */
  strictFilters: boolean;
  /** (U) Unknown entitlement values → 400 invalidValue. Default true. */
  strictEntitlements: boolean;
  /**
   * Non-admin callers need workspace-access or databricks-sql-access (own or via groups), else the gateway's
   * 403 "This API is disabled for users without …" (observed).
   */
  enforceWorkspaceAccess: boolean;
  /**
   * (U) Body of a successful PUT/PATCH. The SDKs model both as returning nothing and the docs show `{}` for
   * PATCH, so the default is `{}`: a client that needs the new state must GET it, which works against
   * any server. "resource" returns the updated resource (RFC 7644 style).
   */
  writeResponses: "empty" | "resource";
  /** Request log ring size for /__emulator/requests. */
  requestLogLimit: number;
  /**
   * Eventual consistency of new principals towards workspaces (emulator/README.md "Workspaces and identity federation": the first assignment
   * right after the principal was created fails with "Principal <id> not in workspace <id>", a later try
   * succeeds): for this many ms after an account principal's creation, assigning it answers that error.
   * 0 = consistent at once.
   */
  consistencyWindowMs: number;
}

/** One workspace of the account (`workspaces` option). */
export interface WorkspaceOption {
  /** Numeric id; default: the one saved with --state, else random (the first defaults to `workspaceId`). */
  id?: string;
  /** Identity federation (default: the top-level `federated`, itself true). */
  federated?: boolean;
  /** Port of this workspace's own host (default 0 = any free port). */
  port?: number;
}

export interface EmulatorOptions extends Partial<Behaviour> {
  port?: number;
  host?: string;
  /** Persist state to this JSON file (atomic write before every 2xx on a write). */
  statePath?: string;
  /** Whose service-principal rules apply (applicationId given on Azure, generated on AWS/GCP). Default "azure". */
  cloud?: Cloud;
  /**
   * Identity federation of every workspace that does not say otherwise. Default true: Databricks federates every
   * workspace created since November 2023 (AWS, Azure; GCP since March 2024) and it cannot be turned off.
   * false: the workspaces from before, where workspace SCIM principals are the workspace's own and permission
   * assignments are refused. A state saved with --state keeps the federation it was created with.
   */
  federated?: boolean;
  accountId?: string;
  workspaceId?: string;
  tokens?: { admin?: string; user?: string; accountAdmin?: string };
  /** userNames the tokens authenticate as. */
  principals?: { admin?: string; user?: string; accountAdmin?: string };
  /**
   * OAuth M2M token endpoints and their service principals (oauth.ts); `true` = one random client. Off by
   * default, so discovery answers 404 ("OAuth is not supported for this host").
   */
  oauth?: boolean | OAuthOptions;
  /**
   * Fault injection (faults/settings.ts): rate limits, concurrency cap, random faults, read-after-write lag.
   * Same JSON as POST /__emulator/faults; all off when absent.
   */
  faults?: FaultSettingsInput;
  /**
   * Also start the Microsoft Graph / Entra emulator (graph/README section of emulator/README.md) on its own
   * port; read by the CLI only (`startGraphEmulator` programmatically).
   */
  graph?: boolean | GraphEmulatorOptions;
  /**
   * The account's workspaces, each on a port of its own: a count or one entry each (federated per `federated`);
   * the first is the primary workspace, also served on the main port. Absent: one workspace (`workspaceId`,
   * federated per `federated`) on the main port only, or the workspaces saved with --state.
   */
  workspaces?: number | WorkspaceOption[];
  /** Extra middlewares (outermost first), run inside request accounting and inside the fault middlewares. */
  middlewares?: Middleware[];
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  maxPageSize: 100,
  maxFilterNodes: 200,
  propagateWorkspaceUsersToAccount: true,
  autoAddToUsersGroup: true,
  putOmittedListsClear: true,
  accountUserConflictNote: true,
  accountServicePrincipalConflictText: "servicePrincipal",
  accountListGroupsIncludeMembers: false,
  strictFilters: true,
  strictEntitlements: true,
  enforceWorkspaceAccess: true,
  writeResponses: "empty",
  requestLogLimit: 10_000,
  consistencyWindowMs: 0,
};

export const DEFAULT_PRINCIPALS = {
  admin: "admin@example.com",
  user: "user@example.com",
  accountAdmin: "account-admin@example.com",
};

export function resolveBehaviour(options: EmulatorOptions): Behaviour {
  const b: Behaviour = { ...DEFAULT_BEHAVIOUR };
  for (const key of Object.keys(DEFAULT_BEHAVIOUR) as (keyof Behaviour)[]) {
    const v = options[key];
    if (v !== undefined) (b as unknown as Record<string, unknown>)[key] = v;
  }
  if (!Number.isInteger(b.maxPageSize) || b.maxPageSize < 1) throw new Error("maxPageSize must be a positive integer");
  if (!(b.consistencyWindowMs >= 0)) throw new Error("consistencyWindowMs must be a non-negative number");
  return b;
}

/** Reads a `--config FILE`: a JSON object with the same keys as EmulatorOptions (minus middlewares). */
export function loadConfigFile(path: string): EmulatorOptions {
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`config file ${path} must hold a JSON object`);
  }
  const opts = parsed as EmulatorOptions & { middlewares?: unknown };
  delete opts.middlewares;
  return opts;
}
