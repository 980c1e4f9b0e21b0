import { normaliseHost } from "../auth/host";
import { CONFIG_NAMESPACE } from "../runtime/settings";
import { CONFIG } from "./schema";

/**
 * The provider's configuration as the engine hands it to the plugin: `pulumi config set databricks-scim:host …`
 * for the default provider, or a `Provider` resource's inputs. The same settings the dynamic resources read from
 * the stack (runtime/settings.ts), so both front doors resolve credentials alike. Values are validated here,
 * without network, so that a mistake is reported at preview time with the setting's name and the fix; a secret
 * (token, clientSecret, azureClientSecret) is never echoed.
 */

export interface ConfigFailure {
  property: string;
  reason: string;
}

const SECRET = new Set(Object.entries(CONFIG).flatMap(([k, p]) => (p.secret ? [k] : [])));
const KNOWN = new Set(Object.keys(CONFIG));
const SIG = "4dabf18193072939515e22adb298388d";

/** A value as the engine may send it: a secret wrapped in Pulumi's signature object, or JSON text. */
export function plainValue(v: unknown): unknown {
  if (typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG] !== undefined) return plainValue((v as { value?: unknown }).value);
  return v;
}

/** The provider inputs (CheckConfig's `news`, Configure's `args`) as settings; non-strings are refused by `validate`. */
export function settingsFromInputs(inputs: Record<string, unknown>): { get(key: string): string | undefined } {
  return {
    get(fullKey) {
      const key = fullKey.startsWith(`${CONFIG_NAMESPACE}:`) ? fullKey.slice(CONFIG_NAMESPACE.length + 1) : fullKey;
      const v = plainValue(inputs[key]);
      return typeof v === "string" ? v : undefined;
    },
  };
}

/** Every problem with the provider's inputs, each naming the setting (`databricks-scim:level`) and the fix. */
export function validateConfig(inputs: Record<string, unknown>): ConfigFailure[] {
  const failures: ConfigFailure[] = [];
  // The engine prints a failed property's value next to the reason: for a secret, the failure names no property.
  const fail = (key: string, why: string) => failures.push({ property: SECRET.has(key) ? "" : key, reason: `${CONFIG_NAMESPACE}:${key} ${why}` });
  for (const [key, raw] of Object.entries(inputs)) {
    if (key === "version" || key.startsWith("__")) continue; // the engine's own provider inputs
    const v = plainValue(raw);
    if (v === undefined || v === null || v === "04da6b54-80e4-46f7-96ec-b56ff0331ba9") continue;
    // Not a setting: ignored, as the dynamic resources ignore it (a project named databricks-scim has its own keys here).
    if (!KNOWN.has(key)) continue;
    if (typeof v !== "string") {
      fail(key, `must be a string, got ${Array.isArray(v) ? "a list" : typeof v}.`);
      continue;
    }
    if (key === "level" && v !== "workspace" && v !== "account") {
      fail(key, `must be "workspace" or "account", got ${JSON.stringify(v)}: \`pulumi config set ${CONFIG_NAMESPACE}:level workspace\`.`);
    }
    if (key === "host") {
      try {
        normaliseHost(v, `${CONFIG_NAMESPACE}:host`);
      } catch (e) {
        fail(
          key,
          `is not a Databricks host: ${e instanceof Error ? e.message : String(e)}. Set it to the workspace URL, e.g. \`pulumi config set ${CONFIG_NAMESPACE}:host https://adb-1234567890123456.7.azuredatabricks.net\`.`,
        );
      }
    }
    if (SECRET.has(key) && v.trim() === "") fail(key, `is empty: set it with \`pulumi config set --secret ${CONFIG_NAMESPACE}:${key} …\`, or remove it.`);
  }
  return failures;
}
