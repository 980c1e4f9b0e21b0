import type { ScimClient } from "../client";
import { SCHEMA_USER, type ScimUser } from "../client/types";
import { EMAIL, isUnknown } from "./check";
import { defineLifecycle, targetOf, type LifecycleSpec } from "./define";
import { aclPrincipalId, homeFolder } from "./derived";
import { checkFields, createBody, fieldDiff, fixedFields, overlayFields, patchOps, readAttributes, reportedValues, type FieldInputs } from "./fields";
import { createOrAdopt, existsError, readAndUpdate, type ScimKind } from "./kind";
import { inputsAfterRefresh, type Managed } from "./managed";
import { removePrincipal } from "./principal";
import { targetReplaces } from "./target";
import type { TargetInputs } from "./types";
import { USER_FIELDS } from "./userFields";

/** Inputs after check: normalised, defaults filled, target resolved (the fields: ./userFields.ts). */
export interface UserInputs extends TargetInputs, FieldInputs<typeof USER_FIELDS> {}

export interface UserOutputs extends UserInputs, Managed<string> {
  home: string;
  aclPrincipalId: string;
}

const READ_ATTRIBUTES = readAttributes(USER_FIELDS);
const FIXED = fixedFields(USER_FIELDS);

const userKind: ScimKind<ScimUser, UserInputs, UserOutputs> = {
  api: (client: ScimClient) => client.users,
  readAttributes: () => READ_ATTRIBUTES,
  outputsFrom,
  patchOps: (olds, news) => patchOps(USER_FIELDS, olds, news),
  outputsAfterUpdate: (olds, news) => withDerived(overlayFields(USER_FIELDS, olds, news)),
  inputsFrom: (outs) => inputsAfterRefresh<UserInputs>(outs, FIXED),
};

/** One user's steps: what ScimUser's lifecycle runs, and what ScimUsers (./userCollection.ts) runs for each of its users. */
export const userSpec: LifecycleSpec<UserInputs, UserOutputs> = {
  check(c, news, target) {
    const inputs: UserInputs = { ...target, ...checkFields(c, news, USER_FIELDS, target.level) };
    // What the table cannot say: Databricks user names are email addresses.
    if (inputs.userName !== "" && !isUnknown(inputs.userName) && !EMAIL.test(inputs.userName)) {
      c.fail("userName", `'${String(news.userName)}' is not an email address. Databricks user names are emails, e.g. "alice@example.com".`);
    }
    return inputs;
  },

  /** Where a user's diff is decided: field by field from the table, no HTTP. */
  diff(olds, news) {
    const fields = fieldDiff(USER_FIELDS, olds, news);
    return { replaces: [...targetReplaces(olds, news), ...fields.replaces], changed: fields.changed };
  },

  async create(ctx, inputs) {
    return createOrAdopt(ctx, {
      kind: userKind,
      inputs,
      body: createBody<ScimUser>(USER_FIELDS, inputs, SCHEMA_USER),
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
};

export const userLifecycle = defineLifecycle<UserInputs, UserOutputs>(userSpec);

function outputsFrom(base: UserInputs | UserOutputs, user: ScimUser): UserOutputs {
  return withDerived({ ...targetOf(base), ...reportedValues(USER_FIELDS, base, user), home: "", aclPrincipalId: "" });
}

function withDerived(outs: UserOutputs): UserOutputs {
  return { ...outs, home: homeFolder(outs.userName), aclPrincipalId: aclPrincipalId("users", outs.userName) };
}
