// Public API of pulumi-databricks-scim.
// First, before anything loads undici: a clear error on a Node.js that is too old (provider/nodeVersion.ts).
import "./nodeVersion";
export { ScimUser, type ScimUserArgs } from "./resources/user";
export { ScimUsers, type ScimUsersArgs, type ScimUsersEntry, type ScimUsersEntryOutput } from "./resources/users";
export { ENTITLEMENTS, type Entitlement } from "./client/types";
export { ScimGroup, type ScimGroupArgs } from "./resources/group";
export { ScimServicePrincipal, type ScimServicePrincipalArgs } from "./resources/servicePrincipal";
export {
  ScimServicePrincipals,
  type ScimServicePrincipalsArgs,
  type ScimServicePrincipalsEntry,
  type ScimServicePrincipalsEntryOutput,
} from "./resources/servicePrincipals";
export {
  getUser,
  getGroup,
  getServicePrincipal,
  listUsers,
  listGroups,
  listServicePrincipals,
  getCurrentUser,
  type LookupTarget,
  type LookupFilter,
  type UserInfo,
  type GroupInfo,
  type ServicePrincipalInfo,
  type CurrentUserInfo,
} from "./lookups";
export { filter } from "./client";
// What a lookup can throw, for a program that handles "not there" itself: every error of the package is a
// DatabricksScimError with a `code`; a lookup's own are LookupErrors, the calls' are the client's (NotFoundError, …).
export { DatabricksScimError } from "./shared/packageError";
export { LookupError } from "./lookups";
export { CredentialError } from "./shared/credentialError";
export {
  ScimClientError,
  HttpError,
  BadRequestError,
  NotFoundError,
  ConflictError,
  AuthError,
  RateLimitError,
  ServerError,
  NetworkError,
  TimeoutError,
} from "./client/errors";
export { GroupMembership, type GroupMembershipArgs } from "./resources/groupMembership";
export { GroupMembers, type GroupMembersArgs } from "./resources/groupMembers";
export { DatabricksConnection, type DatabricksConnectionArgs } from "./resources/connection";
export { WorkspaceAssignment, type WorkspaceAssignmentArgs } from "./resources/workspaceAssignment";
export { WorkspaceEntitlements, type WorkspaceEntitlementsArgs } from "./resources/workspaceEntitlements";
export { WORKSPACE_PERMISSIONS, type WorkspacePermission } from "./client/assignments";
export * from "./entra";
export { mirrorEntraGroups } from "./entraMirror";
