// SCIM schema URNs. Redeclared here instead of imported from the client:
// the emulator may only `import type` from provider/client/types.ts, so that the server and the client never
// share a value that could make a mistake invisible to tests.
export const URN_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const URN_USER_WORKSPACE_EXT = "urn:ietf:params:scim:schemas:extension:workspace:2.0:User";
export const URN_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const URN_SERVICE_PRINCIPAL = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal";
export const URN_LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const URN_PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const URN_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** The five workspace entitlements Databricks knows (as terraform-provider-databricks lists them). */
export const KNOWN_ENTITLEMENTS: readonly string[] = [
  "allow-cluster-create",
  "allow-instance-pool-create",
  "databricks-sql-access",
  "workspace-access",
  "workspace-consume",
];

/** Reserved group names: they exist from the start and cannot be deleted or renamed. */
export const WORKSPACE_ADMINS_GROUP = "admins";
export const WORKSPACE_USERS_GROUP = "users";
export const ACCOUNT_USERS_GROUP = "account users";
