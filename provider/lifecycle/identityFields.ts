import type { Field } from "./fieldTypes";

/**
 * Field descriptions that several kinds share, to be placed in each kind's table (./userFields.ts,
 * ./groupFields.ts, ./servicePrincipalFields.ts). Table order is the order of PATCH operations and of the
 * attributes read on refresh.
 */

export const EXTERNAL_ID = {
  type: "string",
  path: "externalId",
  reported: true,
  hint: "Omit it unless an identity provider needs it.",
} as const satisfies Field;

/** Workspace level only; omitted = not managed, a list (even empty) = enforced exactly. */
export const ENTITLEMENTS = { type: "entitlements", path: "entitlements", reported: true } as const satisfies Field;

/** Workspace: AWS instance-profile ARNs; account: e.g. account_admin. Semantics as entitlements. */
export const ROLES = { type: "roles", path: "roles", reported: true } as const satisfies Field;

export const ACTIVE = { type: "boolean", path: "active", default: true, reported: true } as const satisfies Field;

/** What removing the resource does: DELETE, or `active: false`. Lives in state only. */
export const ON_DELETE = { type: "deletionPolicy", default: "delete" } as const satisfies Field;

/** Take over an existing object with the same natural key at create; a later change is no change. */
export const ADOPT = { type: "boolean", default: false, createOnly: true } as const satisfies Field;
