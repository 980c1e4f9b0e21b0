import { getGroup, getServicePrincipal, getUser, type LookupTarget } from "../lookups";
import { PACKAGE, type PropertySpec } from "./kinds";

/**
 * The lookups (provider/lookups.ts) as the plugin's functions (`databricks-scim:index:getUser`, …): the same code
 * the TypeScript programs call, run in the plugin's process with the provider's configuration (Configure hands it
 * to the Pulumi runtime's config there, which the lookups read as a program's stack config).
 */

const str = (description: string): PropertySpec => ({ type: "string", description });
const TARGET: Record<string, PropertySpec> = {
  host: str("Workspace URL or account console URL (default: the provider's)."),
  level: str('"workspace" or "account" (default: from the host).'),
  accountId: str("The account id, at account level (default: the provider's)."),
};
const LOCATED: Record<string, PropertySpec> = {
  id: str("The SCIM id."),
  host: str("Where it was found."),
  level: str('"workspace" or "account".'),
  accountId: str("The account id, at account level."),
  roles: { type: "array", items: { type: "string" }, description: "Its roles." },
  entitlements: { type: "array", items: { type: "string" }, description: "Its entitlements (workspace level only)." },
  aclPrincipalId: str("For permission resources: users/<userName>, groups/<displayName> or servicePrincipals/<applicationId>."),
};

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

export const FUNCTIONS: Record<string, PluginFunction> = {
  getUser: {
    spec: {
      description: "An existing user, by userName (e.g. one an identity provider made), read when the program runs.",
      inputs: { properties: { userName: str("The user's email address."), ...TARGET }, required: ["userName"] },
      outputs: {
        properties: {
          ...LOCATED,
          userName: str("The user's email address."),
          displayName: str("Its display name."),
          active: { type: "boolean" },
          home: str("/Users/<userName>."),
        },
        required: ["id", "userName", "host", "level"],
      },
    },
    call: (a) => getUser({ ...target(a), userName: text(a, "userName") }),
  },
  getGroup: {
    spec: {
      description: "An existing group, by displayName, read when the program runs.",
      inputs: { properties: { displayName: str("The group's name."), ...TARGET }, required: ["displayName"] },
      outputs: {
        properties: { ...LOCATED, displayName: str("The group's name."), url: str("The group's SCIM URL."), accountGroup: { type: "boolean" } },
        required: ["id", "displayName", "host", "level"],
      },
    },
    call: (a) => getGroup({ ...target(a), displayName: text(a, "displayName") }),
  },
  getServicePrincipal: {
    spec: {
      description: "An existing service principal, by applicationId, read when the program runs.",
      inputs: { properties: { applicationId: str("The application id."), ...TARGET }, required: ["applicationId"] },
      outputs: {
        properties: {
          ...LOCATED,
          applicationId: str("The application id."),
          displayName: str("Its display name."),
          active: { type: "boolean" },
          home: str("/Users/<applicationId>."),
        },
        required: ["id", "applicationId", "host", "level"],
      },
    },
    call: (a) => getServicePrincipal({ ...target(a), applicationId: text(a, "applicationId") }),
  },
};

export function functionOfToken(token: string): PluginFunction | undefined {
  const prefix = `${PACKAGE}:index:`;
  return token.startsWith(prefix) ? FUNCTIONS[token.slice(prefix.length)] : undefined;
}
