import {
  getCurrentUser,
  getGroup,
  getServicePrincipal,
  getUser,
  listGroups,
  listServicePrincipals,
  listUsers,
  type CurrentUserInfo,
  type GroupInfo,
  type LookupTarget,
  type ServicePrincipalInfo,
  type UserInfo,
} from "../lookups";
import { PACKAGE, type PropertySpec } from "./kinds";

/**
 * The lookups (provider/lookups.ts) as the plugin's functions (`databricks-scim:index:getUser`, …): every lookup
 * the package exports, the same code the TypeScript programs call, run in the plugin's process with the
 * provider's configuration (Configure hands it to the Pulumi runtime's config there, which the lookups read as a
 * program's stack config). A list lookup answers an object (a function's result is one): `{ users: [...] }`, each
 * entry the object type `databricks-scim:index:UserInfo` (…GroupInfo, …ServicePrincipalInfo).
 */

const str = (description: string): PropertySpec => ({ type: "string", description });
const bool = (description: string): PropertySpec => ({ type: "boolean", description });
const TARGET: Record<string, PropertySpec> = {
  host: str("Workspace URL or account console URL (default: the provider's)."),
  level: str('"workspace" or "account" (default: from the host).'),
  accountId: str("The account id, at account level (default: the provider's)."),
};
const FILTER: Record<string, PropertySpec> = {
  filter: str('A SCIM filter, as Databricks takes it (e.g. `displayName sw "eng-"`); default: all of them.'),
};

/** An object's properties, one for each key of what the lookup returns (the compiler checks none is missing). */
type Props<T> = Record<keyof Required<T>, PropertySpec>;
/** The properties and which of them every result has (the keys the lookup's type does not mark optional). */
interface Shape<T> {
  properties: Props<T>;
  required: (keyof T & string)[];
}

type LocatedKeys = "id" | "host" | "level" | "accountId" | "entitlements" | "roles" | "aclPrincipalId";
const LOCATED: Pick<Props<UserInfo>, LocatedKeys> = {
  id: str("The SCIM id."),
  host: str("Where it was found."),
  level: str('"workspace" or "account".'),
  accountId: str("The account id, at account level."),
  entitlements: { type: "array", items: { type: "string" }, description: "Its entitlements (workspace level, get lookups only)." },
  roles: { type: "array", items: { type: "string" }, description: "Its roles." },
  aclPrincipalId: str("For permission resources: users/<userName>, groups/<displayName> or servicePrincipals/<applicationId>."),
};
const LOCATED_REQUIRED = ["id", "host", "level", "roles", "aclPrincipalId"] as const;

const USER: Shape<UserInfo> = {
  properties: {
    ...LOCATED,
    userName: str("The user's email address (lower-case)."),
    displayName: str("Its display name."),
    active: bool("Whether it may sign in."),
    externalId: str("Its id in the identity provider that made it."),
    home: str("/Users/<userName>."),
  },
  required: [...LOCATED_REQUIRED, "userName", "active", "home"],
};
const GROUP: Shape<GroupInfo> = {
  properties: {
    ...LOCATED,
    displayName: str("The group's name."),
    externalId: str("Its id in the identity provider that made it."),
    url: str("The group's SCIM URL."),
    accountGroup: bool("At workspace level: an account group assigned to the workspace (not manageable through workspace SCIM)."),
  },
  required: [...LOCATED_REQUIRED, "displayName", "url", "accountGroup"],
};
const SERVICE_PRINCIPAL: Shape<ServicePrincipalInfo> = {
  properties: {
    ...LOCATED,
    applicationId: str("The application id (lower-case)."),
    displayName: str("Its display name."),
    active: bool("Whether it may call the APIs."),
    externalId: str("Its id in the identity provider that made it."),
    home: str("/Users/<applicationId>."),
  },
  required: [...LOCATED_REQUIRED, "applicationId", "active", "home"],
};
const CURRENT_USER: Shape<CurrentUserInfo> = {
  properties: {
    id: str("The SCIM id."),
    userName: str("An email address, or for a service principal its applicationId (lower-case)."),
    displayName: str("Its display name."),
    active: bool("Whether it may sign in."),
    isServicePrincipal: bool("Whether the credentials are a service principal's."),
    home: str("/Users/<userName>."),
    aclPrincipalId: str("For permission resources: users/<userName> or servicePrincipals/<applicationId>."),
    host: str("The workspace asked."),
  },
  required: ["id", "userName", "active", "isServicePrincipal", "home", "aclPrincipalId", "host"],
};

/** The object types of the list lookups' entries (schema.json `types`). */
export const INFO_TYPES = {
  UserInfo: { description: "A user, as listUsers reports it.", shape: USER },
  GroupInfo: { description: "A group, as listGroups reports it.", shape: GROUP },
  ServicePrincipalInfo: { description: "A service principal, as listServicePrincipals reports it.", shape: SERVICE_PRINCIPAL },
} as const;
const listOf = (type: keyof typeof INFO_TYPES, description: string): PropertySpec => ({
  type: "array",
  items: { $ref: `#/types/${PACKAGE}:index:${type}` },
  description,
});

export interface FunctionSpec {
  description: string;
  inputs: { properties: Record<string, PropertySpec>; required: string[] };
  outputs: { properties: Record<string, PropertySpec>; required: string[] };
}

interface PluginFunction {
  spec: FunctionSpec;
  call(args: Record<string, unknown>): Promise<object>;
}

const target = (a: Record<string, unknown>): LookupTarget => ({
  ...(typeof a.host === "string" ? { host: a.host } : {}),
  ...(a.level === "workspace" || a.level === "account" ? { level: a.level as "workspace" | "account" } : {}),
  ...(typeof a.accountId === "string" ? { accountId: a.accountId } : {}),
});
const text = (a: Record<string, unknown>, key: string): string => (typeof a[key] === "string" ? (a[key] as string) : "");
const optionalText = (a: Record<string, unknown>, key: string): string | undefined =>
  typeof a[key] === "string" && a[key] !== "" ? (a[key] as string) : undefined;
const filterOf = (a: Record<string, unknown>) => {
  const f = optionalText(a, "filter");
  return f === undefined ? {} : { filter: f };
};

/** getServicePrincipal's two ways in, as the TypeScript lookup takes them: by applicationId, else by displayName. */
function servicePrincipalBy(a: Record<string, unknown>): Promise<ServicePrincipalInfo> {
  const applicationId = optionalText(a, "applicationId");
  if (applicationId !== undefined) return getServicePrincipal({ ...target(a), applicationId });
  const displayName = optionalText(a, "displayName");
  if (displayName !== undefined) return getServicePrincipal({ ...target(a), displayName });
  // plain Error: a call without either argument; the message names both and is the whole fix.
  return Promise.reject(new Error("getServicePrincipal: pass applicationId (or displayName, which must name exactly one service principal)."));
}

export const FUNCTIONS: Record<string, PluginFunction> = {
  getUser: {
    spec: {
      description: "An existing user, by userName (e.g. one an identity provider made), read when the program runs.",
      inputs: { properties: { userName: str("The user's email address."), ...TARGET }, required: ["userName"] },
      outputs: { properties: USER.properties, required: USER.required },
    },
    call: (a) => getUser({ ...target(a), userName: text(a, "userName") }),
  },
  getGroup: {
    spec: {
      description: "An existing group, by displayName, read when the program runs.",
      inputs: { properties: { displayName: str("The group's name."), ...TARGET }, required: ["displayName"] },
      outputs: { properties: GROUP.properties, required: GROUP.required },
    },
    call: (a) => getGroup({ ...target(a), displayName: text(a, "displayName") }),
  },
  getServicePrincipal: {
    spec: {
      description: "An existing service principal, by applicationId, or by displayName (which must then name exactly one), read when the program runs.",
      inputs: {
        properties: {
          applicationId: str("The application id."),
          displayName: str("Its display name, when the applicationId is not given (an error if several share it)."),
          ...TARGET,
        },
        required: [],
      },
      outputs: { properties: SERVICE_PRINCIPAL.properties, required: SERVICE_PRINCIPAL.required },
    },
    call: servicePrincipalBy,
  },
  listUsers: {
    spec: {
      description: "The users of a workspace or account (those a SCIM filter selects), read when the program runs.",
      inputs: { properties: { ...FILTER, ...TARGET }, required: [] },
      outputs: { properties: { users: listOf("UserInfo", "The users, in the server's order.") }, required: ["users"] },
    },
    call: async (a) => ({ users: await listUsers({ ...target(a), ...filterOf(a) }) }),
  },
  listGroups: {
    spec: {
      description: "The groups of a workspace or account (those a SCIM filter selects), read when the program runs.",
      inputs: { properties: { ...FILTER, ...TARGET }, required: [] },
      outputs: { properties: { groups: listOf("GroupInfo", "The groups, in the server's order.") }, required: ["groups"] },
    },
    call: async (a) => ({ groups: await listGroups({ ...target(a), ...filterOf(a) }) }),
  },
  listServicePrincipals: {
    spec: {
      description: "The service principals of a workspace or account (those a SCIM filter selects), read when the program runs.",
      inputs: { properties: { ...FILTER, ...TARGET }, required: [] },
      outputs: {
        properties: { servicePrincipals: listOf("ServicePrincipalInfo", "The service principals, in the server's order.") },
        required: ["servicePrincipals"],
      },
    },
    call: async (a) => ({ servicePrincipals: await listServicePrincipals({ ...target(a), ...filterOf(a) }) }),
  },
  getCurrentUser: {
    spec: {
      description: "Who the provider's credentials belong to (SCIM /Me), read when the program runs. Workspace level only: accounts have no /Me.",
      inputs: { properties: { host: str("A workspace URL (default: the provider's).") }, required: [] },
      outputs: { properties: CURRENT_USER.properties, required: CURRENT_USER.required },
    },
    call: (a) => getCurrentUser(optionalText(a, "host") !== undefined ? { host: text(a, "host") } : {}),
  },
};

/** The object types the functions' results refer to, for schema.json `types`. */
export function functionTypes(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(INFO_TYPES).map(([name, t]) => [
      `${PACKAGE}:index:${name}`,
      { type: "object", description: t.description, properties: t.shape.properties, required: t.shape.required },
    ]),
  );
}

export function functionOfToken(token: string): PluginFunction | undefined {
  const prefix = `${PACKAGE}:index:`;
  return token.startsWith(prefix) ? FUNCTIONS[token.slice(prefix.length)] : undefined;
}
