import { eq, type ScimClient, type WithId } from "../client";
import { isAzureHost } from "../auth";
import { SCHEMA_SERVICE_PRINCIPAL, type ScimServicePrincipal } from "../client/types";
import { type Checker, UUID, isUnknown, typeName } from "./check";
import type { CallContext } from "./context";
import { defineLifecycle, targetOf, type LifecycleSpec } from "./define";
import { aclPrincipalId, homeFolder } from "./derived";
import { ResourceError } from "./errors";
import { checkFields, createBody, fieldDiff, fixedFields, overlayFields, patchOps, readAttributes, reportedValues, type FieldInputs } from "./fields";
import { converge, createOrAdopt, existsError, readAndUpdate, type ScimKind } from "./kind";
import { inputsAfterRefresh, type Managed } from "./managed";
import { removePrincipal } from "./principal";
import { SERVICE_PRINCIPAL_FIELDS as FIELDS } from "./servicePrincipalFields";
import { hostnameOf, isLoopbackHost, targetReplaces, type TargetSeen } from "./target";
import type { TargetInputs } from "./types";

/** Inputs after check: normalised, defaults filled, target resolved (the fields: ./servicePrincipalFields.ts). */
export interface ServicePrincipalInputs extends TargetInputs, FieldInputs<typeof FIELDS> {}

const FIXED = fixedFields(FIELDS);

export interface ServicePrincipalOutputs extends ServicePrincipalInputs, Managed<string> {
  /** Always set in outputs: the program's, or the one Databricks generated. */
  applicationId: string;
  /** /Users/<applicationId>. */
  home: string;
  /** servicePrincipals/<applicationId>, for permission resources. */
  aclPrincipalId: string;
}

const READ_ATTRIBUTES = readAttributes(FIELDS);

const spKind: ScimKind<ScimServicePrincipal, ServicePrincipalInputs, ServicePrincipalOutputs> = {
  api: (client: ScimClient) => client.servicePrincipals,
  readAttributes: () => READ_ATTRIBUTES,
  outputsFrom,
  patchOps: (olds, news) => patchOps(FIELDS, olds, news),
  outputsAfterUpdate: (olds, news) => withDerived(overlayFields(FIELDS, olds, news)),
  inputsFrom: (outs) => inputsAfterRefresh<ServicePrincipalInputs>(outs, FIXED),
};

/** One service principal's steps: ScimServicePrincipal's, and ScimServicePrincipals' for each (./servicePrincipalCollection.ts). */
export const servicePrincipalSpec: LifecycleSpec<ServicePrincipalInputs, ServicePrincipalOutputs> = {
  check(c, news, target, _ctx, seen) {
    const inputs: ServicePrincipalInputs = { ...target, ...checkFields(c, news, FIELDS, target.level) };
    const applicationId = checkApplicationId(c, news.applicationId, target, seen.cloud);
    if (applicationId !== undefined) inputs.applicationId = applicationId;
    else if (inputs.displayName === undefined && !c.failures.some((f) => f.property === "displayName")) {
      c.fail(
        "displayName",
        "is required when Databricks generates the application id (no applicationId). Set it to a name people " +
          'will recognise, e.g. displayName: "ci-deployer".',
      );
    }
    return inputs;
  },

  /** Where a service principal's diff is decided: a new applicationId or target replaces, the rest is in place. */
  diff(olds, news) {
    const fields = fieldDiff(FIELDS, olds, news);
    return { replaces: [...targetReplaces(olds, news), ...fields.replaces], changed: fields.changed };
  },

  async create(ctx, inputs) {
    const client = ctx.client;
    // Names are not unique and a POST with a taken name just makes another principal (no "already exists"),
    // so adopting by name has to look first.
    if (inputs.adopt && inputs.applicationId === undefined) {
      const existing = await findByName(client, inputs);
      if (existing) return converge(ctx, spKind, existing, inputs);
    }
    const key = inputs.applicationId ?? inputs.displayName ?? "";
    // Without applicationId only the (non-unique) name identifies it: see newByName.
    const byName = inputs.applicationId || inputs.adopt ? undefined : await newByName(ctx, inputs);
    return createOrAdopt(ctx, {
      kind: spKind,
      inputs,
      body: createBody<ScimServicePrincipal>(FIELDS, inputs, SCHEMA_SERVICE_PRINCIPAL),
      find: byName ? byName.find : () => find(client, inputs),
      exists: (existing, conflict) => existsError(inputs.applicationId ? "applicationId" : "displayName", "service principal", key, inputs, existing, conflict),
      uniqueKey: inputs.applicationId !== undefined,
      kindName: "servicePrincipal",
      naturalKey: inputs.applicationId ?? `name:${inputs.displayName ?? ""}`,
      keyOf: (sp) => (inputs.applicationId ? sp.applicationId : `name:${sp.displayName ?? ""}`),
      ...(byName ? { snapshot: byName.before, findSince: byName.findSince } : {}),
    });
  },

  ...readAndUpdate(spKind),

  async delete(ctx, id, props) {
    await removePrincipal(ctx, ctx.client.servicePrincipals, id, props.onDelete);
  },
};

export const servicePrincipalLifecycle = defineLifecycle<ServicePrincipalInputs, ServicePrincipalOutputs>(servicePrincipalSpec);

/** Which hosts generate application ids: Databricks' own AWS/GCP (and GovCloud) domains. */
const GENERATED_ID_HOSTS = [".databricks.com", ".databricks.us", ".databricks.mil"];

/**
 * Azure: optional. With it the SP is Entra ID-managed (the app registration's client id); without it Databricks
 * generates one (a Databricks-managed SP, the usual identity for CI with an OAuth secret; issue 24), and check
 * then requires displayName. AWS/GCP: Databricks generates it and refuses one from the program, so setting it is
 * an error here rather than a failed create. Loopback and unrecognised hosts (an emulator, a proxy): optional.
 */
function checkApplicationId(c: Checker, v: unknown, target: TargetInputs, metadataCloud: TargetSeen["cloud"]): string | undefined {
  const name = hostnameOf(target.host); // "" when the host is unknown during a preview: no cloud rule then
  // The cloud the host's metadata names wins over its name (an emulator, a proxy or a custom domain says nothing).
  const azure = metadataCloud ? metadataCloud === "azure" : name !== "" && isAzureHost(target.host);
  const generated = metadataCloud ? metadataCloud !== "azure" : !azure && !isLoopbackHost(target.host) && GENERATED_ID_HOSTS.some((s) => name.endsWith(s));
  if (isUnknown(v)) return v as string;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || !UUID.test(v.trim())) {
    return c.fail(
      "applicationId",
      `${typeof v === "string" ? `'${v}'` : typeName(v)} is not an application id: expected a UUID such as ` +
        '"6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10" (the Entra application (client) id).',
    );
  }
  if (generated) {
    return c.fail(
      "applicationId",
      `Databricks generates the application id on ${target.host}${metadataCloud ? ` (${metadataCloud.toUpperCase()}, as its /.well-known/databricks-config says)` : ""} and does not accept one. Remove applicationId ` +
        "(it is an output); to take over an existing service principal, set adopt: true and its displayName.",
    );
  }
  return v.trim().toLowerCase();
}

/** The natural key: the applicationId when known; by name only when adopting (see create). */
function find(client: ScimClient, inputs: ServicePrincipalInputs): Promise<WithId<ScimServicePrincipal> | undefined> {
  if (inputs.applicationId) return client.servicePrincipals.findByApplicationId(inputs.applicationId, { attributes: READ_ATTRIBUTES });
  return inputs.adopt ? findByName(client, inputs) : Promise.resolve(undefined);
}

/**
 * Without applicationId nothing but the name identifies the principal, and names are not unique. So before the
 * POST, note which principals already have the name (one LIST); if the POST's answer is lost, the principal
 * with that name that was not there before (and that no other create of this process made) is ours.
 */
async function newByName(
  ctx: CallContext,
  inputs: ServicePrincipalInputs,
): Promise<{
  before: string[];
  find: () => Promise<WithId<ScimServicePrincipal> | undefined>;
  findSince: (before: string[] | undefined) => Promise<WithId<ScimServicePrincipal> | undefined>;
}> {
  const name = inputs.displayName ?? "";
  const client = ctx.client;
  const named = async () =>
    (await client.servicePrincipals.list({ filter: eq("displayName", name), attributes: READ_ATTRIBUTES })).filter((sp) => sp.displayName === name);
  const findSince = async (earlier: string[] | undefined) => {
    const known = new Set(earlier ?? []);
    return (await named()).find((sp) => !known.has(sp.id) && !ctx.lag.isRecent(sp.id));
  };
  const before = (await named()).map((sp) => sp.id);
  return { before, find: () => findSince(before), findSince };
}

/** The one service principal with exactly this displayName; several are an error (adopt needs one). */
async function findByName(client: ScimClient, inputs: ServicePrincipalInputs): Promise<WithId<ScimServicePrincipal> | undefined> {
  const name = inputs.displayName ?? "";
  const all = await client.servicePrincipals.list({ filter: eq("displayName", name), attributes: READ_ATTRIBUTES });
  const hits = all.filter((sp) => sp.displayName === name);
  if (hits.length > 1) {
    throw new ResourceError(
      "AMBIGUOUS_NAME",
      "displayName",
      `${hits.length} service principals are named '${name}' in ${inputs.host} (application ids ` +
        `${hits.map((h) => h.applicationId).join(", ")}), so adopt cannot tell which to take over. Rename or ` +
        "delete the others first, or remove adopt to create a new one.",
    );
  }
  return hits[0];
}

function outputsFrom(base: ServicePrincipalInputs | ServicePrincipalOutputs, sp: ScimServicePrincipal): ServicePrincipalOutputs {
  const outs = { ...targetOf(base), ...reportedValues(FIELDS, base, sp) };
  // Always set in outputs: the server's, else the program's (read back lower-case like the server's).
  return withDerived({ ...outs, applicationId: outs.applicationId ?? base.applicationId?.toLowerCase() ?? "", home: "", aclPrincipalId: "" });
}

function withDerived(outs: ServicePrincipalOutputs): ServicePrincipalOutputs {
  return { ...outs, home: homeFolder(outs.applicationId), aclPrincipalId: aclPrincipalId("servicePrincipals", outs.applicationId) };
}
