// Error shapes and the exact texts Databricks is known to send. Two families:
//  - SCIM envelope: {"schemas":[Error URN],"detail":"…","status":"404"} — `status` is a STRING; `scimType` only
//    where the spec shows one (409 texts carry none: TF compares the message by exact equality/prefix).
//  - Gateway shape for auth failures: {"error_code":403,"message":"Invalid access token."} plus the header
//    X-Databricks-Reason-Phrase (databricks-sdk-go issues #873, #917).
import type { ResourceType } from "./model";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number | string,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 7644 `invalidSyntax` text as Databricks sends it (O Java SDK #279). */
export const TEXT_INVALID_SYNTAX = "Request is unparsable, syntactically incorrect, or violates schema.";

export function invalidSyntax(detail: string = TEXT_INVALID_SYNTAX): ScimError {
  return new ScimError(400, detail, "invalidSyntax");
}

export function invalidValue(detail: string): ScimError {
  return new ScimError(400, detail, "invalidValue");
}

export function invalidFilter(detail: string): ScimError {
  return new ScimError(400, detail, "invalidFilter");
}

/** Databricks' wording for a path that names nothing on the resource (as Terraform matches it). */
export function noSuchAttribute(attribute: string): ScimError {
  return new ScimError(400, `No such attribute with the name : ${attribute} in the current resource`, "invalidPath");
}

const SINGULAR: Record<ResourceType, string> = {
  Users: "User",
  Groups: "Group",
  // (U) no observed text for service principals; follows the observed "Group with id X not found." pattern.
  ServicePrincipals: "Service principal",
};

/** 404 text (O UCX: "Group with id 132274931679577 not found."). */
export function notFound(kind: ResourceType, id: string): ScimError {
  return new ScimError(404, `${SINGULAR[kind]} with id ${id} not found.`);
}

/** Generic PATCH failure text (O TF #1866), used for `add` with a null value and for unknown member ids. */
export function patchFailed(kind: ResourceType): ScimError {
  const noun = kind === "Users" ? "user" : kind === "Groups" ? "group" : "service principal";
  return new ScimError(400, `Error in performing the patch operation on ${noun} resource.`);
}

export const conflictTexts = {
  workspaceUser: (userName: string) => `User with username ${userName} already exists.`,
  accountUser: (userName: string, withNote: boolean) =>
    `User with email ${userName} already exists in this account` +
    (withNote ? ". Note: emails are case insensitive (i.e abc@domain.com and ABC@DOMAIN.COM are considered equivalent)" : ""),
  group: (displayName: string) => `Group with name ${displayName} already exists.`,
  servicePrincipal: (applicationId: string) => `Service principal with application ID ${applicationId} already exists.`,
};

/** 409 without scimType (Terraform matches the detail text exactly). */
export function conflict(detail: string): ScimError {
  return new ScimError(409, detail);
}

export const TEXT_INVALID_TOKEN = "Invalid access token.";

export function invalidToken(): GatewayError {
  return new GatewayError(403, 403, TEXT_INVALID_TOKEN);
}

/** Non-admin access to an admin-only endpoint (O: "/2.0/preview/scim/v2/Groups/<id> is only accessible by admins"). */
export function adminsOnly(pathAfterApi: string): ScimError {
  return new ScimError(403, `${pathAfterApi} is only accessible by admins`);
}
