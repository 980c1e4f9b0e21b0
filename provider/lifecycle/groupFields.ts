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
  /**
   * A workspace-local group on purpose: without it, a workspace-level group whose name is an account group's is
   * refused (lifecycle/groupShadow.ts, group.ts). Nothing is sent for it.
   */
  workspaceLocal: {
    type: "flag",
    workspaceOnly: 'is for workspace-level groups; an account-level group is an account group. Remove workspaceLocal, or set level: "workspace".',
  },
} as const satisfies Fields;
