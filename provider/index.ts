// Public API of pulumi-databricks-scim.
export { ScimUser, type ScimUserArgs } from "./resources/user";
export { ENTITLEMENTS, type Entitlement } from "./client/types";
