import type { ScimClient } from "../client";
import { SCHEMA_USER, type ScimUser } from "../client/types";
import { EMAIL, isUnknown } from "./check";
import { defineLifecycle } from "./define";
import { toComplex } from "./entitlements";
import { createOrAdopt, existsError, readAndUpdate, type ScimKind } from "./kind";
import { changedFields, inputsAfterRefresh, overlay, patchOpsFor, type Managed } from "./managed";
import { PRINCIPAL_FIXED, checkPrincipal, principalOutputs, removePrincipal, type PrincipalInputs } from "./principal";
import { targetReplaces } from "./target";

/** Inputs after check: normalised, defaults filled, target resolved. */
export interface UserInputs extends PrincipalInputs {
  /** Lower-cased, as Databricks stores it; a case-only change is therefore no change at all. */
  userName: string;
  givenName?: string;
  familyName?: string;
}

/** Optional fields that the program may leave to the server; `managed` records which ones it set. */
const OPTIONAL = ["displayName", "givenName", "familyName", "externalId", "entitlements", "roles"] as const;
type OptionalField = (typeof OPTIONAL)[number];

export interface UserOutputs extends UserInputs, Managed<OptionalField> {
  home: string;
  aclPrincipalId: string;
}

/** The attributes read back on refresh: only what this resource reports. */
const READ_ATTRIBUTES = "userName,displayName,active,externalId,entitlements,roles,name";

/** Scalar fields written with `replace`, in the order they are sent, with their SCIM paths. */
const SCALARS = [
  ["displayName", "displayName"],
  ["givenName", "name.givenName"],
  ["familyName", "name.familyName"],
  ["externalId", "externalId"],
  ["active", "active"],
] as const;

const userKind: ScimKind<ScimUser, UserInputs, UserOutputs> = {
  api: (client: ScimClient) => client.users,
  readAttributes: () => READ_ATTRIBUTES,
  outputsFrom,
  patchOps: (olds, news) => patchOpsFor(olds, news, SCALARS),
  outputsAfterUpdate: (olds, news) => withDerived(overlay(olds, news, OPTIONAL)),
  inputsFrom: (outs) => inputsAfterRefresh<UserInputs>(outs, ["userName", ...PRINCIPAL_FIXED]),
};

export const userLifecycle = defineLifecycle<UserInputs, UserOutputs>({
  check(c, news, target) {
    const userNameRaw = c.requiredString(
      news,
      "userName",
      "Set it to the user's email address, e.g. userName: \"alice@example.com\".",
    );
    let userName = userNameRaw;
    if (typeof userNameRaw === "string" && !isUnknown(userNameRaw)) {
      userName = userNameRaw.trim().toLowerCase();
      if (!EMAIL.test(userName)) {
        c.fail("userName", `'${userNameRaw}' is not an email address. Databricks user names are emails, e.g. "alice@example.com".`);
      }
    }
    const inputs: UserInputs = {
      ...target,
      userName: userName ?? "",
      ...checkPrincipal(c, news, target, "Omit it to let Databricks use the user name."),
    };
    const givenName = c.optionalString(news, "givenName", "Omit it if the user has no given name.");
    const familyName = c.optionalString(news, "familyName", "Omit it if the user has no family name.");
    if (givenName !== undefined) inputs.givenName = givenName;
    if (familyName !== undefined) inputs.familyName = familyName;
    return inputs;
  },

  /** Where a user's diff is decided: field by field, no HTTP. */
  diff(olds, news) {
    const replaces = [...targetReplaces(olds, news)];
    if (olds.userName !== news.userName) replaces.push("userName");
    return { replaces, changed: changedFields(olds, news, ["active", "onDelete"], OPTIONAL) };
  },

  async create(ctx, inputs) {
    return createOrAdopt(ctx, {
      kind: userKind,
      inputs,
      body: createBody(inputs),
      find: () => ctx.client.users.findByUserName(inputs.userName),
      kindName: "user",
      naturalKey: inputs.userName,
      keyOf: (u) => u.userName,
      exists: (existing, conflict) => existsError("userName", "user", inputs.userName, inputs, existing, conflict),
    });
  },

  ...readAndUpdate(userKind),

  async delete(ctx, id, props) {
    await removePrincipal(ctx, ctx.client.users, id, props.onDelete);
  },
});

function createBody(inputs: UserInputs): ScimUser {
  const body: ScimUser = { schemas: [SCHEMA_USER], userName: inputs.userName, active: inputs.active };
  if (inputs.displayName !== undefined) body.displayName = inputs.displayName;
  if (inputs.givenName !== undefined || inputs.familyName !== undefined) {
    body.name = { givenName: inputs.givenName, familyName: inputs.familyName };
  }
  if (inputs.externalId !== undefined) body.externalId = inputs.externalId;
  if (inputs.entitlements?.length) body.entitlements = toComplex(inputs.entitlements);
  if (inputs.roles?.length) body.roles = toComplex(inputs.roles);
  return body;
}

function outputsFrom(base: UserInputs | UserOutputs, user: ScimUser): UserOutputs {
  const outs: UserOutputs = {
    ...principalOutputs(base, user, OPTIONAL),
    userName: (user.userName ?? base.userName).toLowerCase(),
    home: "",
    aclPrincipalId: "",
  };
  if (user.name?.givenName !== undefined) outs.givenName = user.name.givenName;
  if (user.name?.familyName !== undefined) outs.familyName = user.name.familyName;
  return withDerived(outs);
}

function withDerived(outs: UserOutputs): UserOutputs {
  return { ...outs, home: `/Users/${outs.userName}`, aclPrincipalId: `users/${outs.userName}` };
}
