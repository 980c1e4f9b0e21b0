import type * as pulumi from "@pulumi/pulumi";

/**
 * The plain types every layer shares (resources, lifecycle, runtime, shims): a leaf module, importing nothing
 * of this package but Pulumi's types, so that folders can depend on it without depending on each other.
 */

/** The stack configuration's namespace: `databricks-scim:host`, `databricks-scim:token`, … */
export const CONFIG_NAMESPACE = "databricks-scim";

/** The resource kinds, one shim module each (provider/shims/<kind>.ts); part of the stored provider's text. */
export type ResourceKind =
  "user" | "users" | "group" | "servicePrincipal" | "servicePrincipals" | "groupMembership" | "groupMembers" | "workspaceAssignment" | "workspaceEntitlements";

/**
 * Each kind's name in the stored provider text, `module.exports=require('pulumi-databricks-scim/s').<code>`
 * (resources/dynamicResource.ts, the package's `s.js`): short, because the state keeps that text twice per
 * resource. Never change a code: states hold them.
 */
export const SHIM_CODES: Readonly<Record<ResourceKind, string>> = {
  user: "u",
  users: "us",
  group: "g",
  servicePrincipal: "sp",
  servicePrincipals: "sps",
  groupMembership: "m",
  groupMembers: "gm",
  workspaceAssignment: "wa",
  workspaceEntitlements: "we",
};

/**
 * Where a resource's credentials come from, as stored in its inputs and outputs: names only, never a secret.
 * A profile of a Databricks config file, or the names of environment variables that hold the secret; the
 * provider reads them when each call is made, so a rotated secret is picked up by the next operation,
 * destroy included.
 */
export interface ConnectionSource {
  /** Section of the Databricks config file. */
  profile?: string;
  /** Path of the Databricks config file (default ~/.databrickscfg). */
  configFile?: string;
  /** Force one strategy: pat, basic, oauth-m2m, azure-msi, azure-client-secret, azure-cli, netrc. */
  authType?: string;
  /** Name of the environment variable holding a token (PAT or any bearer token). */
  tokenEnvVar?: string;
  /** Names of the environment variables holding a service principal's OAuth client id and secret. */
  clientIdEnvVar?: string;
  clientSecretEnvVar?: string;
  /** ARM id of an Azure Databricks workspace (lets a Contributor/Owner principal in before it is a user). */
  azureResourceId?: string;
}

/** Where a principal lives. Resolved and stored at check time, so that read/delete use what create used. */
export interface TargetInputs {
  host: string;
  level: "workspace" | "account";
  accountId?: string;
  /**
   * Workspace level on a unified host (one host for the account and its workspaces): the workspace the calls are
   * routed to (X-Databricks-Workspace-Id), as check found it (DATABRICKS_WORKSPACE_ID and the like, else the
   * host's metadata). Absent on a workspace's own host. Not the WorkspaceAssignment's own `workspaceId`.
   */
  hostWorkspaceId?: string;
  /** Where the credentials come from, when the program gave a connection (names only; ./connection.ts). */
  connection?: ConnectionSource;
}

export type DeletionPolicy = "delete" | "deactivate";

/**
 * What each resource kind offers the engine once bound to its context (./define.ts); provider/runtime
 * dispatches the engine's calls here. `olds` in diff/update/delete/read are the resource's *outputs* (the
 * engine only ever passes outputs back), which is why every kind echoes its inputs into its outputs.
 * Method syntax on purpose: a Lifecycle<UserInputs, UserOutputs> is then usable where the dispatcher holds
 * Lifecycle<object, object> (the engine hands back what check produced), with no cast.
 */
export interface Lifecycle<I, O> {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: I): Promise<pulumi.dynamic.CreateResult<O>>;
  read(id: string, props: O): Promise<ReadResult<I, O>>;
  update(id: string, olds: O, news: I): Promise<pulumi.dynamic.UpdateResult<O>>;
  delete(id: string, props: O): Promise<void>;
}

/** pulumi.dynamic.ReadResult, with `inputs` typed as inputs (the SDK types them as outputs). An empty id: gone. */
export interface ReadResult<I, O> {
  id?: string;
  props?: O;
  inputs?: I;
}

/** The two membership resources, as the membership registry names them in messages. */
export type MembershipKind = "GroupMembership" | "GroupMembers";

/** What one membership resource declares about a group, collected at check time. */
export interface Declaration {
  kind: MembershipKind;
  /** The Pulumi resource name, for messages. */
  resourceName: string;
  target: TargetInputs;
  groupId: string;
  /** Known member ids (unknown ones during a preview are left out). */
  memberIds: readonly string[];
}

/** A conflict between membership declarations (mixing, loops), as a check failure. */
export interface Conflict {
  property: "groupId" | "memberId" | "memberIds";
  /** Without the "<property>:" prefix (Checker.fail adds it). */
  reason: string;
}

/** `refused`: a create answered "already exists" with no evidence that this stack made the object (id: that object's). */
export type JournalEvent = "posting" | "created" | "failed" | "deleted" | "refused";

/** The last word of earlier processes on a create-journal key: what a create in this process must take into account. */
export interface Prior {
  at: number;
  event: JournalEvent;
  /** created/deleted: the SCIM id. */
  id?: string;
  /** posting, for keys that are not unique (SP display names): the ids that had the name before the POST. */
  before?: string[];
}

/**
 * A ScimGroup that could take part in shadowing (an account group, or a workspace-level group not asked to be
 * workspace-local), as its check declares it: what lifecycle/groupShadow.ts compares across the program.
 */
export interface DeclaredGroup {
  /** The Pulumi resource name, for messages. */
  resourceName: string;
  level: "workspace" | "account";
  /** As check resolved it ("" or the unknown marker while a preview does not know it yet). */
  host: string;
  /** Known account id, when the target has one. */
  accountId?: string;
  displayName: string;
}
