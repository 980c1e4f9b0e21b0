import { type Checker, isUnknown } from "./check";
import type { ConnectionSource } from "./types";

export type { ConnectionSource } from "./types";

/** What `connection` may hold: the target (host, level, accountId) and the credential source. */
export const CONNECTION_TARGET_KEYS = ["host", "level", "accountId"] as const;
export const CONNECTION_SOURCE_KEYS = ["profile", "configFile", "authType", "tokenEnvVar", "clientIdEnvVar", "clientSecretEnvVar", "azureResourceId"] as const;
const ENV_KEYS = ["tokenEnvVar", "clientIdEnvVar", "clientSecretEnvVar"] as const;

/** Keys that would put a secret into state; refused with a pointer to the indirection that replaces them. */
export const SECRET_KEYS: Record<string, string> = {
  token: "tokenEnvVar",
  password: "tokenEnvVar",
  clientSecret: "clientSecretEnvVar",
  azureClientSecret: "profile",
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Values that look like a credential rather than a variable name (PAT, OAuth secret, JWT). */
const LOOKS_SECRET = /^(dapi|dose|dkea|eyJ)/;

export function secretKeyReason(key: string): string {
  return (
    `a connection never carries a secret, because resource inputs and outputs are stored in the Pulumi state. ` +
    `Put the secret in an environment variable and name it (${SECRET_KEYS[key]}: "WS2_TOKEN"), or name a ` +
    `~/.databrickscfg profile (profile: "ws2").`
  );
}

/** A name-only check of an env-var field: no value is ever echoed, since a mistaken value may be a secret. */
export function envVarNameProblem(value: string): string | undefined {
  if (LOOKS_SECRET.test(value))
    return "looks like a credential, not the name of an environment variable. Put the secret in an environment variable and give its name here.";
  if (!ENV_NAME.test(value)) return "must be the name of an environment variable (letters, digits, _).";
  return undefined;
}

/** Whether the source names its own credentials, which then replace the stack config and DATABRICKS_* env. */
export function isIsolated(src: ConnectionSource | undefined): boolean {
  return !!src && (src.profile !== undefined || src.tokenEnvVar !== undefined || src.clientIdEnvVar !== undefined || src.clientSecretEnvVar !== undefined);
}

export interface CheckedConnection {
  host?: unknown;
  level?: unknown;
  accountId?: unknown;
  source?: ConnectionSource;
  unknown: boolean;
}

/**
 * Validates the `connection` input of any resource (check time, no network). `hasEnvVar`: whether the provider's
 * environment sets a variable (the check context's TargetResolver answers it).
 */
export function checkConnection(c: Checker, raw: unknown, hasEnvVar: (name: string) => boolean): CheckedConnection {
  if (raw === undefined || raw === null) return { unknown: false };
  if (isUnknown(raw)) return { unknown: true };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    c.fail("connection", "expected a DatabricksConnection (new DatabricksConnection({ host, profile }) or a plain object).");
    return { unknown: false };
  }
  const obj = raw as Record<string, unknown>;
  const out: CheckedConnection = { unknown: false };
  const source: ConnectionSource = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || value === null) continue;
    if (key in SECRET_KEYS) {
      c.fail(`connection.${key}`, secretKeyReason(key));
      continue;
    }
    if ((CONNECTION_TARGET_KEYS as readonly string[]).includes(key)) {
      out[key as (typeof CONNECTION_TARGET_KEYS)[number]] = value;
      continue;
    }
    if (!(CONNECTION_SOURCE_KEYS as readonly string[]).includes(key)) {
      c.fail(`connection.${key}`, `is not a connection setting. Use ${[...CONNECTION_TARGET_KEYS, ...CONNECTION_SOURCE_KEYS].join(", ")}.`);
      continue;
    }
    if (isUnknown(value)) {
      out.unknown = true;
      continue;
    }
    if (typeof value !== "string" || value.trim() === "") {
      c.fail(`connection.${key}`, "expected a non-empty string.");
      continue;
    }
    const name = key as (typeof CONNECTION_SOURCE_KEYS)[number];
    if ((ENV_KEYS as readonly string[]).includes(name)) {
      const problem = envVarNameProblem(value);
      if (problem) {
        c.fail(`connection.${key}`, problem);
        continue;
      }
      if (!hasEnvVar(value)) {
        c.fail(`connection.${key}`, `environment variable ${value} is not set (or empty) in the environment of \`pulumi\`.`);
        continue;
      }
    }
    source[name] = value.trim();
  }
  if ((source.clientIdEnvVar === undefined) !== (source.clientSecretEnvVar === undefined)) {
    c.fail("connection.clientSecretEnvVar", "clientIdEnvVar and clientSecretEnvVar go together (OAuth machine-to-machine).");
  }
  if (Object.keys(source).length) out.source = source;
  return out;
}
