// The error of credential resolution, in the package's one branded error hierarchy (provider/client/errors.ts
// re-exports it with the SCIM client's errors). It lives in this leaf folder because both the client and
// provider/auth use it, and auth may import only the client's types.
import { DatabricksScimError } from "./packageError";

/** Why no usable credential was found or fetched (as opposed to {@link AuthError}: a credential the server rejected). */
export type CredentialErrorCode =
  /** No strategy applies ("default auth: cannot configure default credentials ..."). */
  | "AUTH_NOT_CONFIGURED"
  /** A named profile is not in the config file ("resolve: ... has no X profile configured"). */
  | "AUTH_PROFILE_NOT_FOUND"
  /** The config file exists but cannot be read ("cannot parse config file: ..."). */
  | "AUTH_CONFIG_FILE"
  /** Attributes of more than one auth method and no authType ("validate: more than one ..."). */
  | "AUTH_AMBIGUOUS"
  /** authType names no strategy (`auth type "X" not found ...`) or one this package does not implement. */
  | "AUTH_UNKNOWN_AUTH_TYPE"
  /** A setting has a bad value (host, level, a boolean) or a required companion is missing (account id). */
  | "AUTH_INVALID_CONFIG"
  /** The host has no Databricks OAuth (discovery answered 404). */
  | "AUTH_OAUTH_UNSUPPORTED"
  /** The OAuth token endpoint (or discovery) failed, answered an error, or answered something unusable. */
  | "AUTH_TOKEN_ENDPOINT"
  /** @azure/identity could not get a Microsoft Entra token. */
  | "AUTH_AZURE";

/** The settings that say where to call, as opposed to the credentials. */
export type TargetSetting = "host" | "level" | "accountId";

/**
 * No credential: provider/auth could not resolve one from the settings, the environment and the config files, or
 * could not fetch a token for it. Raised before any SCIM request (so no request info). The message names where each
 * setting came from (stack config key, environment variable, profile) and never a secret.
 */
export class CredentialError extends DatabricksScimError {
  readonly code: CredentialErrorCode;
  /**
   * The target setting at fault (where to call), when it is one: a missing or invalid host, a level, a missing
   * account id. Absent when the problem is the credentials (as whom), so that a caller such as a Pulumi check
   * does not blame a setting that is fine.
   */
  readonly setting?: TargetSetting;
  constructor(code: CredentialErrorCode, message: string, setting?: TargetSetting) {
    super(message);
    this.name = "CredentialError";
    this.code = code;
    if (setting) this.setting = setting;
  }
  /** JSON.stringify(err) shows what a log needs, nothing more (there is nothing secret here anyway). */
  toJSON(): { name: string; code: CredentialErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}
