// Who is calling. Tokens come from configuration (options.ts); each maps to a principal by userName, so that
// admin rights follow the data: a workspace admin is whoever is (transitively) in `admins` (as in UCX),
// an account admin whoever holds the `account_admin` role. Deleting or deactivating the principal revokes
// its token, as with a real PAT.
import type { IncomingHttpHeaders } from "node:http";
import { GatewayError, invalidToken } from "./errors";
import { transitiveGroups } from "./membership";
import type { Identity, Level } from "./model";
import type { OAuthIssuer } from "./oauth";
import type { Behaviour } from "./options";
import { WORKSPACE_ADMINS_GROUP } from "./schemas";
import type { RenderContext } from "./render";

export interface Caller {
  level: Level;
  userId: string;
  admin: boolean;
}

const TEXT_NO_WORKSPACE_ACCESS =
  "This API is disabled for users without the databricks-sql-access or workspace-access entitlements. Contact your administrator for more information.";

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  if (typeof h !== "string") return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? (m[1] as string).trim() : undefined;
}

/**
 * Missing or unknown tokens get the gateway's 403 "Invalid access token." (databricks-sdk-go issues #873, #917).
 * `unifiedWorkspaceCall`: a workspace-level call on the main port, the unified host (federation/host.ts), where
 * an account-issued OAuth token also acts in the workspace reached (see oauthCaller).
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  identity: Identity,
  contextFor: (level: Level) => RenderContext,
  behaviour: Behaviour,
  oauth?: OAuthIssuer,
  unifiedWorkspaceCall = false,
): Caller {
  const token = bearer(headers);
  if (!token) throw invalidToken();
  let level: Level;
  let userName: string;
  if (token === identity.tokens.admin) [level, userName] = ["workspace", identity.principals.admin];
  else if (token === identity.tokens.user) [level, userName] = ["workspace", identity.principals.user];
  else if (token === identity.tokens.accountAdmin) [level, userName] = ["account", identity.principals.accountAdmin];
  else return oauthCaller(token, oauth, contextFor, unifiedWorkspaceCall);

  const ctx = contextFor(level);
  const user = ctx.view.userByName(userName);
  if (!user || !user.active) throw invalidToken();
  const groups = transitiveGroups(user.id, ctx.parents).map((e) => ctx.view.get("Groups", e.groupId));

  if (level === "account") {
    const roles = [...user.roles, ...groups.flatMap((g) => g?.roles ?? [])];
    return { level, userId: user.id, admin: roles.some((r) => r.value === "account_admin") };
  }
  const admin = groups.some((g) => g?.displayName === WORKSPACE_ADMINS_GROUP);
  if (!admin && behaviour.enforceWorkspaceAccess) {
    const ents = new Set([...user.entitlements, ...groups.flatMap((g) => g?.entitlements ?? [])]);
    if (!ents.has("workspace-access") && !ents.has("databricks-sql-access")) {
      throw new GatewayError(403, 403, TEXT_NO_WORKSPACE_ACCESS);
    }
  }
  return { level, userId: user.id, admin };
}

/**
 * A token from the OAuth endpoints (oauth.ts) acts as its service principal, at the level that issued it.
 * Expired: the gateway's 403 "JWT has expired" (databricks-sdk-go issue #1061), which clients treat as "refresh".
 * On the unified host (the main port) an account-issued token also serves workspace calls, as the service
 * principal with the same applicationId in the workspace reached: the host's metadata (wellknown.ts) points the
 * SDKs at the account's token endpoint for workspace and account clients alike, as a unified host's does.
 */
function oauthCaller(token: string, oauth: OAuthIssuer | undefined, contextFor: (level: Level) => RenderContext, unifiedWorkspaceCall: boolean): Caller {
  const found = oauth?.lookup(token);
  if (found === "expired") throw new GatewayError(403, 403, "JWT has expired");
  if (!found) throw invalidToken();
  const level: Level = found.level === "account" && unifiedWorkspaceCall ? "workspace" : found.level;
  const ctx = contextFor(level);
  const sp = ctx.view.list("ServicePrincipals").find((s) => s.applicationId === found.applicationId);
  if (!sp || !sp.active) throw invalidToken();
  const groups = transitiveGroups(sp.id, ctx.parents).map((e) => ctx.view.get("Groups", e.groupId));
  if (level === "account") {
    const roles = [...sp.roles, ...groups.flatMap((g) => g?.roles ?? [])];
    return { level: "account", userId: sp.id, admin: roles.some((r) => r.value === "account_admin") };
  }
  return { level: "workspace", userId: sp.id, admin: groups.some((g) => g?.displayName === WORKSPACE_ADMINS_GROUP) };
}
