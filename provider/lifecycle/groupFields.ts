import type { Fields } from "./fieldTypes";
import { ADOPT, EXTERNAL_ID, ROLES } from "./identityFields";

/** ScimGroup, described once (./fieldTypes.ts says what each property means). Members have their own resources. */
export const GROUP_FIELDS = {
  /** A change renames the group in place (PATCH): it keeps its id, members and permissions. */
  displayName: {
    type: "string",
    path: "displayName",
    required: true,
    reported: true,
    hint: 'Set it to the group\'s name, e.g. displayName: "data-engineers".',
  },
  externalId: EXTERNAL_ID,
  /** Read and reported only when managed: Databricks computes a group's entitlements with a costly scan. */
  entitlements: { type: "entitlements", path: "entitlements", reportedWhenManaged: true },
  roles: ROLES,
  adopt: ADOPT,
} as const satisfies Fields;
