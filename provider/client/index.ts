// Public surface of the SCIM client. No Pulumi in here: provider/resources builds on it.

export { ScimClient, CLIENT_VERSION, defaultRateLimits } from "./client";
export type { ScimClientOptions, ScimLevel, RateLimits } from "./client";
export type { AuthProvider, CredentialSourceKind } from "./auth";
export { staticToken } from "./auth";
export { AccountGroupsProxy } from "./accountGroupsProxy";
export type { AccountGroupAnswer } from "./accountGroupsProxy";
export { AssignmentsApi, WORKSPACE_PERMISSIONS, effectivePermission } from "./assignments";
export type { AssignedPrincipal, PermissionAssignment, WorkspacePermission } from "./assignments";
export { UsersApi, GroupsApi, ServicePrincipalsApi, ResourceApi, buildQuery } from "./resources";
export type { AttributeList, CallOptions, ReadOptions, ListOptions, WithId } from "./resources";
export type { RateLimitBucket, HttpMethod } from "./transport";
export { CONTENT_TYPE, ACCEPT } from "./transport";
export type { RetryOptions } from "./retry";
export { DEFAULT_RETRY } from "./retry";
export type { ClientStats } from "./stats";
export * as filter from "./filter";
export { Filter, eq, ne, co, sw, ew, gt, ge, lt, le, pr, and, or, not, valuePath, anyOf, rawFilter, quote } from "./filter";
export type { FilterValue, CompareOp } from "./filter";
export * as patch from "./patch";
export * from "./errors";
export * from "./types";
export { HostUnreachableError, NotDatabricksApiError, isHostUnreachable, isNotDatabricksApi } from "./hostErrors";
export { RETRY_BUDGET_ENV, retryBudgetFromEnv } from "./retry";
