import { CONNECTION_SOURCE_KEYS } from "../lifecycle/connection";
import { optionalFields } from "../lifecycle/fields";
import { FUNCTIONS, functionTypes, type FunctionSpec } from "./invokes";
import { CONNECTION_TYPE, KINDS, PACKAGE, TARGET_INPUTS, entryTypes, fieldSpec, type PluginKind, type PropertySpec } from "./kinds";

/**
 * The Pulumi package schema of the provider plugin, built from the field tables (./kinds.ts): what GetSchema
 * answers, what `npm run schema` writes to schema.json, and what `pulumi package gen-sdk` makes the SDKs from.
 * Deterministic (no dates, keys in table order), so that a unit test can compare the committed file with it.
 */

/** The provider's configuration: the stack settings the dynamic resources read (runtime/settings.ts), same names. */
export const CONFIG: Record<string, PropertySpec> = {
  host: { type: "string", description: "Workspace URL or account console URL (default DATABRICKS_HOST, else ~/.databrickscfg)." },
  token: {
    type: "string",
    secret: true,
    description: "A personal access token or other bearer token (default DATABRICKS_TOKEN). Kept encrypted in the state.",
  },
  accountId: { type: "string", description: "The Databricks account id, for account-level resources (default DATABRICKS_ACCOUNT_ID)." },
  workspaceId: {
    type: "string",
    description:
      "A unified host's workspace, sent as X-Databricks-Workspace-Id on workspace calls (default DATABRICKS_WORKSPACE_ID, else the host's /.well-known/databricks-config).",
  },
  level: { type: "string", description: '"workspace" or "account": the default level of resources (default: from the host).' },
  clientId: { type: "string", description: "OAuth machine-to-machine: the service principal's client id (default DATABRICKS_CLIENT_ID)." },
  clientSecret: { type: "string", secret: true, description: "OAuth machine-to-machine: the client secret (default DATABRICKS_CLIENT_SECRET)." },
  profile: { type: "string", description: "A profile (section) of the Databricks config file." },
  configFile: { type: "string", description: "The Databricks config file (default ~/.databrickscfg)." },
  authType: { type: "string", description: "Force one strategy: pat, basic, oauth-m2m, azure-msi, azure-client-secret, azure-cli, netrc." },
  azureClientId: { type: "string", description: "Azure: the Entra application (client) id of a service principal (default ARM_CLIENT_ID)." },
  azureClientSecret: { type: "string", secret: true, description: "Azure: the Entra client secret (default ARM_CLIENT_SECRET)." },
  azureTenantId: { type: "string", description: "Azure: the Entra tenant id (default ARM_TENANT_ID)." },
};

const CONNECTION_DOCS: Record<(typeof CONNECTION_SOURCE_KEYS)[number], string> = {
  profile: "A profile (section) of the Databricks config file.",
  configFile: "The Databricks config file (default ~/.databrickscfg).",
  authType: "Force one strategy: pat, basic, oauth-m2m, azure-msi, azure-client-secret, azure-cli, netrc.",
  tokenEnvVar: "The name of the environment variable holding a token (read at each call, never stored).",
  clientIdEnvVar: "The name of the environment variable holding an OAuth client id.",
  clientSecretEnvVar: "The name of the environment variable holding an OAuth client secret.",
  azureResourceId: "The ARM id of an Azure Databricks workspace (lets a Contributor or Owner in before it is a user).",
};

export interface ResourceSpec {
  description: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  properties: Record<string, PropertySpec>;
  required: string[];
}

/** A kind's inputs: its table's fields (or its own), then the target. */
export function inputsOf(k: PluginKind): Record<string, PropertySpec> {
  const out: Record<string, PropertySpec> = {};
  for (const [name, f] of Object.entries(k.fields ?? {})) out[name] = fieldSpec(name, f);
  return { ...out, ...k.inputs, ...TARGET_INPUTS };
}

function resourceSpec(k: PluginKind): ResourceSpec {
  const inputProperties = inputsOf(k);
  const fields = k.fields ?? {};
  const requiredInputs = [
    ...Object.entries(fields)
      .filter(([, f]) => f.required)
      .map(([n]) => n),
    ...(k.required ?? []),
  ];
  const properties = { ...inputProperties, ...k.outputs, ...collectionOutputs(k) };
  // Always in the outputs: required and defaulted fields, the declared required inputs, and where it lives (a
  // flag is there only when on).
  const optional = new Set(optionalFields(fields));
  const always = Object.keys(fields).filter((n) => !optional.has(n) && fields[n]?.customCheck !== true && fields[n]?.type !== "flag");
  const required = [...new Set([...always, ...(k.required ?? []), "host", "level"])];
  return { description: k.description, inputProperties, requiredInputs, properties, required };
}

/** A collection's map as the outputs hold it: each identity with its SCIM id. */
function collectionOutputs(k: PluginKind): Record<string, PropertySpec> {
  if (!k.collection) return {};
  const { mapKey, keyField, noun } = k.collection;
  return {
    [mapKey]: {
      type: "object",
      additionalProperties: { $ref: `#/types/${entryTypes(k).output}` },
      description: `Each ${noun}'s SCIM id and managed fields, by ${keyField} (lower-case), as the server last reported them.`,
    },
  };
}

/**
 * The object types of a collection's entries, from the per-identity table: every field but the key (the map's).
 * No `willReplaceOnChanges`: a field that cannot change in place makes that identity anew, not the resource.
 */
function entryTypeSpecs(k: PluginKind): Record<string, unknown> {
  if (!k.collection) return {};
  const { fields, keyField, noun } = k.collection;
  const properties: Record<string, PropertySpec> = {};
  for (const [name, f] of Object.entries(fields)) {
    if (name === keyField) continue;
    const { willReplaceOnChanges: _replace, ...spec } = fieldSpec(name, f);
    properties[name] = spec;
  }
  const { input, output } = entryTypes(k);
  return {
    [input]: { type: "object", description: `One ${noun} of a ${k.name}: its fields but the ${keyField} (the map's key).`, properties },
    [output]: {
      type: "object",
      description: `One ${noun} of a ${k.name} as the state keeps it: its SCIM id and the fields the program manages.`,
      properties: { id: { type: "string", description: `The ${noun}'s SCIM id.` }, ...properties },
      required: ["id"],
    },
  };
}

export function buildSchema(version: string): Record<string, unknown> {
  const resources: Record<string, ResourceSpec> = {};
  for (const k of KINDS) resources[`${PACKAGE}:index:${k.name}`] = resourceSpec(k);
  const connection: Record<string, PropertySpec> = {};
  for (const key of CONNECTION_SOURCE_KEYS) connection[key] = { type: "string", description: CONNECTION_DOCS[key] };
  return {
    name: PACKAGE,
    displayName: "Databricks SCIM",
    version,
    description: "Databricks users, groups, service principals, memberships and entitlements, over the Databricks SCIM 2.0 API.",
    keywords: ["pulumi", "databricks", "scim", "category/cloud"],
    license: "Apache-2.0",
    config: { variables: CONFIG },
    provider: { description: "Where to call and with which credentials; each setting defaults as the Databricks SDKs do.", inputProperties: CONFIG },
    types: {
      [CONNECTION_TYPE]: { type: "object", description: "Where a resource's credentials come from: names only, never a secret.", properties: connection },
      ...Object.fromEntries(KINDS.flatMap((k) => Object.entries(entryTypeSpecs(k)))),
      ...functionTypes(),
    },
    resources,
    functions: Object.fromEntries(Object.entries(FUNCTIONS).map(([name, f]): [string, FunctionSpec] => [`${PACKAGE}:index:${name}`, f.spec])),
    language: {
      python: { packageName: "pulumi_databricks_scim", respectSchemaVersion: true, pyproject: { enabled: true } },
      // The Go SDK's module is sdk/go of this repository (scripts/gen-sdk.sh go); a Go program requires it with a
      // `replace` to a checkout (docs/commands/pulumi-resource-databricks-scim.md).
      go: { importBasePath: "pulumi-databricks-scim/sdk/go/databricksscim", respectSchemaVersion: true, generateResourceContainerTypes: false },
    },
  };
}
