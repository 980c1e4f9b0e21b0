// Plain SCIM wire shapes, as Databricks sends and accepts them.
// This file holds types only: the local server (emulator/) may import it with `import type`, and nothing else
// of the client, so that the two never share behaviour that could hide each other's mistakes.

export const SCHEMA_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const SCHEMA_USER_WORKSPACE_EXT = "urn:ietf:params:scim:schemas:extension:workspace:2.0:User";
export const SCHEMA_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const SCHEMA_SERVICE_PRINCIPAL = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal";
export const SCHEMA_LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const SCHEMA_PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SCHEMA_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** The five workspace entitlements Databricks knows (as terraform-provider-databricks lists them). */
export const ENTITLEMENTS = ["allow-cluster-create", "allow-instance-pool-create", "databricks-sql-access", "workspace-access", "workspace-consume"] as const;
export type Entitlement = (typeof ENTITLEMENTS)[number];

/** SCIM resource collections, as they appear in URL paths. */
export type ResourceType = "Users" | "Groups" | "ServicePrincipals";

export interface ComplexValue {
  value?: string;
  display?: string;
  $ref?: string;
  type?: string;
  primary?: boolean;
}

export interface ScimMeta {
  resourceType?: string;
}

export interface ScimUser {
  schemas?: string[];
  id?: string;
  userName?: string;
  displayName?: string;
  active?: boolean;
  name?: { givenName?: string; familyName?: string };
  emails?: ComplexValue[];
  entitlements?: ComplexValue[];
  groups?: ComplexValue[];
  roles?: ComplexValue[];
  externalId?: string;
  meta?: ScimMeta;
}

export interface ScimGroup {
  schemas?: string[];
  id?: string;
  displayName?: string;
  members?: ComplexValue[];
  groups?: ComplexValue[];
  entitlements?: ComplexValue[];
  roles?: ComplexValue[];
  externalId?: string;
  meta?: ScimMeta;
}

export interface ScimServicePrincipal {
  schemas?: string[];
  id?: string;
  applicationId?: string;
  displayName?: string;
  active?: boolean;
  entitlements?: ComplexValue[];
  groups?: ComplexValue[];
  roles?: ComplexValue[];
  externalId?: string;
  meta?: ScimMeta;
}

export interface ListResponse<T> {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  /** Capital R, and absent on an empty page (observed). */
  Resources?: T[];
}

export type PatchOpName = "add" | "remove" | "replace";

export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

export interface PatchRequest {
  schemas: string[];
  Operations: PatchOperation[];
}

/** SCIM error envelope; `status` is a string on the wire. */
export interface ScimErrorBody {
  schemas?: string[];
  status?: string | number;
  scimType?: string;
  detail?: string;
}

/** The gateway's non-SCIM error shape (bad tokens, disabled API). */
export interface GatewayErrorBody {
  error_code?: string | number;
  message?: string;
}
