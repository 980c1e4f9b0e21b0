import type { Fields } from "./fieldTypes";
import { ACTIVE, ADOPT, ENTITLEMENTS, EXTERNAL_ID, ON_DELETE, ROLES } from "./identityFields";

/**
 * ScimUser, described once: each field's SCIM path, type, default, whether omitting it means "not managed"
 * (no `required`, no `default`), whether a change replaces (`forceNew`), how check normalises it, whether it
 * is read back and reported. docs/resources/ScimUser.md documents the same fields for users.
 */
export const USER_FIELDS = {
  /** The user's email. Stored lower-case, as Databricks does: a change of case only is no change. */
  userName: {
    type: "string",
    path: "userName",
    required: true,
    forceNew: true,
    normalise: "lowercase",
    reported: true,
    hint: 'Set it to the user\'s email address, e.g. userName: "alice@example.com".',
  },
  displayName: { type: "string", path: "displayName", reported: true, hint: "Omit it to let Databricks use the user name." },
  givenName: { type: "string", path: "name.givenName", reported: true, hint: "Omit it if the user has no given name." },
  familyName: { type: "string", path: "name.familyName", reported: true, hint: "Omit it if the user has no family name." },
  externalId: EXTERNAL_ID,
  active: ACTIVE,
  entitlements: ENTITLEMENTS,
  roles: ROLES,
  onDelete: ON_DELETE,
  adopt: ADOPT,
} as const satisfies Fields;
