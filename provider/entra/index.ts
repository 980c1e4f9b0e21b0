// Entra ID as the source of Databricks identities (docs/guides/entra.md).
export {
  createMirror,
  EntraGroupMirror,
  type MirrorEntraGroups,
  type EntraGroupSpec,
  type EntraGroupMirrorResult,
  type LeaverPolicy,
  type MirrorModel,
  type MirrorEntraGroupsArgs,
} from "./mirror";
export type { GraphSettings } from "./credentials";
export type { GraphStats } from "./graphClient";
export type { EntraGroupRef } from "./directory";
export type { MirrorMode, MirrorPlan, PlannedGroup, PlannedUser, PlannedServicePrincipal } from "./plan";
export type { UserNameSource } from "./userName";
export { GraphError } from "./graphErrors";
export { MirrorConflictError } from "./existing";
export { MirrorArgumentError, MirrorPlanError } from "./plan";
export { MirrorError } from "./failure";
