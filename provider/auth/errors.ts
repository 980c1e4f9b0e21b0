// Typed errors of provider/auth. Every message names where the setting came from and how to fix it, and never
// carries a secret: secrets are shown as `***` or by the name of the variable or key that holds them.

export type AuthErrorCode =
  /** No strategy applies (spec §7 "default auth: cannot configure default credentials ..."). */
  | "AUTH_NOT_CONFIGURED"
  /** A named profile is not in the config file (spec §7 "resolve: ... has no X profile configured"). */
  | "AUTH_PROFILE_NOT_FOUND"
  /** The config file exists but cannot be read (spec §7 "cannot parse config file: ..."). */
  | "AUTH_CONFIG_FILE"
  /** Attributes of more than one auth method and no authType (spec §2 "validate: more than one ..."). */
  | "AUTH_AMBIGUOUS"
  /** authType names no strategy (spec §2 `auth type "X" not found ...`) or one this package does not implement. */
  | "AUTH_UNKNOWN_AUTH_TYPE"
  /** A setting has a bad value (host, level, a boolean) or a required companion is missing (account id). */
  | "AUTH_INVALID_CONFIG"
  /** The host has no Databricks OAuth (discovery answered 404). */
  | "AUTH_OAUTH_UNSUPPORTED"
  /** The OAuth token endpoint (or discovery) failed, answered an error, or answered something unusable. */
  | "AUTH_TOKEN_ENDPOINT"
  /** @azure/identity could not get a Microsoft Entra token. */
  | "AUTH_AZURE";

export class AuthError extends Error {
  override readonly name = "DatabricksAuthError";
  readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  /** JSON.stringify(err) shows what a log needs, nothing more (there is nothing secret here anyway). */
  toJSON(): { name: string; code: AuthErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

export function isAuthError(e: unknown): e is AuthError {
  return e instanceof AuthError;
}

/**
 * Replaces every occurrence of the given secrets (and of their base64 Basic-auth forms, when pairs are given) with
 * `***`. Used on text that comes from elsewhere (a server's error body, a library's error message) before it is put
 * into an error of ours.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = out.split(s).join("***");
  }
  return out;
}

/** One-line, bounded text for a foreign error, secrets removed. */
export function describeForeignError(e: unknown, secrets: readonly (string | undefined)[]): string {
  let text: string;
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    text = typeof code === "string" && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  } else {
    text = String(e);
  }
  text = text.replace(/\s+/g, " ").trim();
  if (text.length > 500) text = `${text.slice(0, 500)}...`;
  return redact(text, secrets);
}
