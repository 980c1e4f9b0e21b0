import * as pulumi from "@pulumi/pulumi";
import { Filter, eq, rawFilter, type ScimClient } from "./client";
import type { Entitlement, ScimGroup, ScimServicePrincipal, ScimUser } from "./client/types";
import { Checker, UUID } from "./lifecycle/check";
import { aclPrincipalId, homeFolder } from "./lifecycle/derived";
import { fromComplex } from "./lifecycle/entitlements";
import { checkTarget, scimCollectionUrl } from "./lifecycle/target";
import type { TargetInputs } from "./lifecycle/types";
import { Connections } from "./runtime/connection";
import { CONFIG_NAMESPACE, processSettings, readStackSettings, type StackSettings } from "./runtime/settings";
import { DatabricksScimError } from "./shared/packageError";

/**
 * Lookups for programs: existing users, groups and service principals, read when the program runs (in the
 * program's process, not the provider's). Credentials resolve as for resources: the arguments, then the stack
 * configuration (`databricks-scim:*`), then the environment and the Databricks config files. Results are plain
 * objects, never tokens; wrap them with `pulumi.output()` to use them as inputs.
 */
export interface LookupTarget {
  /** Workspace URL or account console URL; default from stack config, DATABRICKS_HOST or ~/.databrickscfg. */
  host?: string;
  level?: "workspace" | "account";
  accountId?: string;
}

/**
 * Why a lookup found nothing to answer with (the SCIM client's errors, e.g. an AuthError, pass through as they are).
 * The message starts with the lookup's name.
 */
export class LookupError extends DatabricksScimError {
  constructor(
    /** LOOKUP_NOT_FOUND, LOOKUP_AMBIGUOUS (a name that several share), LOOKUP_WRONG_LEVEL, LOOKUP_TARGET (no host, level or account to ask). */
    readonly code: "LOOKUP_NOT_FOUND" | "LOOKUP_AMBIGUOUS" | "LOOKUP_WRONG_LEVEL" | "LOOKUP_TARGET",
    message: string,
  ) {
    super(message);
  }
}

/** A SCIM filter built with `filter` (`filter.sw("displayName", "eng-")`), or a raw filter string. */
export type LookupFilter = Filter | string;

interface Located {
  id: string;
  host: string;
  level: "workspace" | "account";
  accountId?: string;
  /** Workspace level only, and only from the get* lookups (Databricks computes them per principal). */
  entitlements?: Entitlement[];
  roles: string[];
  aclPrincipalId: string;
}
export interface UserInfo extends Located {
  userName: string;
  displayName?: string;
  active: boolean;
  externalId?: string;
  home: string;
}
export interface GroupInfo extends Located {
  displayName: string;
  externalId?: string;
  /** The group's SCIM URL. */
  url: string;
  /** At workspace level: an account group assigned to the workspace (not manageable through workspace SCIM). */
  accountGroup: boolean;
}
export interface ServicePrincipalInfo extends Located {
  applicationId: string;
  displayName?: string;
  active: boolean;
  externalId?: string;
  home: string;
}
export interface CurrentUserInfo {
  id: string;
  /** An email, or for a service principal its applicationId. */
  userName: string;
  displayName?: string;
  active: boolean;
  isServicePrincipal: boolean;
  home: string;
  aclPrincipalId: string;
  host: string;
}

const USER_ATTRS = "userName,displayName,active,externalId,roles";
const GROUP_ATTRS = "displayName,externalId,roles,meta";
const SP_ATTRS = "applicationId,displayName,active,externalId,roles";
const attrsFor = (attrs: string, t: TargetInputs) => (t.level === "workspace" ? `${attrs},entitlements` : attrs);

export async function getUser(args: LookupTarget & { userName: string }): Promise<UserInfo> {
  const { t, client } = await connect(args, "getUser");
  const found = await client.users.findByUserName(args.userName, { attributes: attrsFor(USER_ATTRS, t) });
  if (!found) throw notFound("getUser", `user with userName '${args.userName}'`, t);
  return userInfo(t, found, true);
}

export async function getGroup(args: LookupTarget & { displayName: string }): Promise<GroupInfo> {
  const { t, client } = await connect(args, "getGroup");
  const found = await client.groups.findByDisplayName(args.displayName, { attributes: attrsFor(GROUP_ATTRS, t) });
  if (!found) throw notFound("getGroup", `group named '${args.displayName}'`, t);
  return groupInfo(t, found, true);
}

/** By applicationId, or by displayName (which must then name exactly one service principal). */
export async function getServicePrincipal(args: LookupTarget & ({ applicationId: string } | { displayName: string })): Promise<ServicePrincipalInfo> {
  const { t, client } = await connect(args, "getServicePrincipal");
  const attributes = attrsFor(SP_ATTRS, t);
  if ("applicationId" in args) {
    const found = await client.servicePrincipals.findByApplicationId(args.applicationId, { attributes });
    if (!found) throw notFound("getServicePrincipal", `service principal with applicationId '${args.applicationId}'`, t);
    return spInfo(t, found, true);
  }
  const all = await client.servicePrincipals.list({ filter: eq("displayName", args.displayName), attributes });
  const hits = all.filter((sp) => sp.displayName === args.displayName);
  if (hits.length === 0) throw notFound("getServicePrincipal", `service principal named '${args.displayName}'`, t);
  if (hits.length > 1) {
    throw new LookupError(
      "LOOKUP_AMBIGUOUS",
      `getServicePrincipal: ${hits.length} service principals are named '${args.displayName}' in ${t.host} ` +
        `(application ids ${hits.map((h) => h.applicationId).join(", ")}); look it up by applicationId instead.`,
    );
  }
  return spInfo(t, hits[0]!, true);
}

export async function listUsers(args: LookupTarget & { filter?: LookupFilter } = {}): Promise<UserInfo[]> {
  const { t, client } = await connect(args, "listUsers");
  const all = await client.users.list({ filter: toFilter(args.filter), attributes: USER_ATTRS });
  return all.map((u) => userInfo(t, u));
}

export async function listGroups(args: LookupTarget & { filter?: LookupFilter } = {}): Promise<GroupInfo[]> {
  const { t, client } = await connect(args, "listGroups");
  const all = await client.groups.list({ filter: toFilter(args.filter), attributes: GROUP_ATTRS });
  return all.map((g) => groupInfo(t, g));
}

export async function listServicePrincipals(args: LookupTarget & { filter?: LookupFilter } = {}): Promise<ServicePrincipalInfo[]> {
  const { t, client } = await connect(args, "listServicePrincipals");
  const all = await client.servicePrincipals.list({ filter: toFilter(args.filter), attributes: SP_ATTRS });
  return all.map((sp) => spInfo(t, sp));
}

/** Who the credentials belong to (GET /Me). Workspace level only: accounts have no /Me. */
export async function getCurrentUser(args: { host?: string } = {}): Promise<CurrentUserInfo> {
  const { t, client } = await connect({ host: args.host }, "getCurrentUser");
  if (t.level !== "workspace") {
    throw new LookupError("LOOKUP_WRONG_LEVEL", `getCurrentUser: ${t.host} is an account console, which has no /Me. Pass a workspace host.`);
  }
  const me = await client.me({ excludedAttributes: "entitlements,groups" });
  const userName = (me.userName ?? "").toLowerCase();
  // For a service principal, /Me answers with its applicationId as userName (as Terraform's current-user tests show).
  const isServicePrincipal = UUID.test(userName);
  return {
    id: me.id,
    userName,
    ...(me.displayName !== undefined ? { displayName: me.displayName } : {}),
    active: me.active ?? true,
    isServicePrincipal,
    home: homeFolder(userName),
    aclPrincipalId: aclPrincipalId(isServicePrincipal ? "servicePrincipals" : "users", userName),
    host: t.host,
  };
}

/** Stack config as the program sees it (the provider's `configure` does not run in the program's process). */
function programSettings(): StackSettings {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  return readStackSettings({ get: (key) => config.get(key.slice(CONFIG_NAMESPACE.length + 1)) });
}

/** One client per target for the life of the program, as in the provider. */
const clients = new Map<string, ScimClient>();

async function connect(args: LookupTarget, what: string): Promise<{ t: TargetInputs; client: ScimClient }> {
  const settings = programSettings();
  const c = new Checker();
  // The program's environment as it is now (the program's process has no provider session).
  const connections = new Connections(processSettings(process.env));
  const t = await checkTarget(c, { host: args.host, level: args.level, accountId: args.accountId }, connections.targetResolver(settings));
  if (!t) throw new LookupError("LOOKUP_TARGET", `${what}: ${c.failures.map((f) => f.reason).join(" ")}`);
  const key = `${t.level}|${t.host}|${t.accountId ?? ""}|${t.hostWorkspaceId ?? ""}`;
  let client = clients.get(key);
  if (!client) clients.set(key, (client = connections.newClient(connections.resolveFor(t, settings), connections.hostSourceFor(t, settings))));
  return { t, client };
}

function toFilter(f: LookupFilter | undefined): Filter | undefined {
  return typeof f === "string" ? rawFilter(f) : f;
}

function notFound(what: string, subject: string, t: TargetInputs): LookupError {
  return new LookupError(
    "LOOKUP_NOT_FOUND",
    `${what}: there is no ${subject} in ${t.host} (${t.level} level). Check the name, and the host and level it is looked up in.`,
  );
}

type Read = { id: string; entitlements?: ScimUser["entitlements"]; roles?: ScimUser["roles"] };

/** `withEntitlements`: they were asked for (get* at workspace level), so none on the server means `[]`. */
function located(t: TargetInputs, r: Read, withEntitlements: boolean) {
  return {
    id: r.id,
    host: t.host,
    level: t.level,
    ...(t.accountId ? { accountId: t.accountId } : {}),
    ...(withEntitlements && t.level === "workspace" ? { entitlements: fromComplex(r.entitlements) } : {}),
    roles: fromComplex<string>(r.roles),
  };
}

function userInfo(t: TargetInputs, u: ScimUser & { id: string }, withEntitlements = false): UserInfo {
  const userName = (u.userName ?? "").toLowerCase();
  return { ...principalInfo(t, u, withEntitlements, aclPrincipalId("users", userName), userName), userName };
}

function groupInfo(t: TargetInputs, g: ScimGroup & { id: string }, withEntitlements = false): GroupInfo {
  const displayName = g.displayName ?? "";
  return {
    ...located(t, g, withEntitlements),
    displayName,
    ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
    aclPrincipalId: aclPrincipalId("groups", displayName),
    url: `${scimCollectionUrl(t, "Groups")}/${g.id}`,
    accountGroup: t.level === "workspace" && g.meta?.resourceType === "Group",
  };
}

function spInfo(t: TargetInputs, sp: ScimServicePrincipal & { id: string }, withEntitlements = false): ServicePrincipalInfo {
  const applicationId = (sp.applicationId ?? "").toLowerCase();
  return { ...principalInfo(t, sp, withEntitlements, aclPrincipalId("servicePrincipals", applicationId), applicationId), applicationId };
}

/** What users and service principals report alike; `name` is their home folder's name. */
type ReadPrincipal = Read & { displayName?: string; active?: boolean; externalId?: string };
function principalInfo(t: TargetInputs, r: ReadPrincipal, withEntitlements: boolean, acl: string, name: string) {
  return {
    ...located(t, r, withEntitlements),
    ...(r.displayName !== undefined ? { displayName: r.displayName } : {}),
    active: r.active ?? true,
    ...(r.externalId !== undefined ? { externalId: r.externalId } : {}),
    home: homeFolder(name),
    aclPrincipalId: acl,
  };
}
