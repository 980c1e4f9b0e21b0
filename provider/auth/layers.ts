// The attribute layers, highest first: explicit settings (a resource's connection, or the stack configuration
// merged in by the caller), the environment, the config profile; plus DefaultAzureCredential's AZURE_* names for
// Azure credentials only. This file only collects values; which credential strategy they make is chain.ts's job.
import { expandHome, readConfigFile } from "./configFile";
import { ATTRS, fromAzureEnv, fromEnv, fromProfile, fromSettings, merge, type Attrs } from "./attributes";
import { debugString, type DebugExtra } from "./describe";
import { CredentialError } from "./errors";
import type { ConnectionSettings } from "./types";

export interface Layers {
  explicit: Attrs;
  env: Attrs;
  profile: Attrs;
  azureEnv: Attrs;
  /** explicit, env and profile merged: each attribute from the highest layer that has it. */
  all: Attrs;
  /** profile and config_file, when set, for the "Config: ..." part of messages. */
  extras: DebugExtra[];
}

/** A setting given explicitly or by an environment variable (explicit first); blank counts as unset. */
function settingOrEnv(explicit: string | undefined, env: NodeJS.ProcessEnv, name: string): { value: string; env?: string } | undefined {
  if (explicit !== undefined && explicit.trim() !== "") return { value: explicit.trim() };
  const fromEnvironment = env[name];
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== "") return { value: fromEnvironment.trim(), env: name };
  return undefined;
}

export function readLayers(
  settings: ConnectionSettings,
  env: NodeJS.ProcessEnv,
  homeDir: string,
  origins?: Partial<Record<keyof ConnectionSettings, string>>,
  fromStackConfig?: readonly (keyof ConnectionSettings)[],
): Layers {
  const explicit = fromSettings(settings, origins, fromStackConfig);
  const envAttrs = fromEnv(env);
  const profileSetting = settingOrEnv(settings.profile, env, "DATABRICKS_CONFIG_PROFILE");
  const configFileSetting = settingOrEnv(settings.configFile, env, "DATABRICKS_CONFIG_FILE");
  const extras: DebugExtra[] = [];
  if (profileSetting) extras.push({ name: "profile", value: profileSetting.value, env: profileSetting.env });
  if (configFileSetting) extras.push({ name: "config_file", value: configFileSetting.value, env: configFileSetting.env });
  const configPath = expandHome(configFileSetting?.value ?? "~/.databrickscfg", homeDir);

  const above = merge(explicit, envAttrs);
  const profile = skipsConfigFile(above, profileSetting !== undefined) ? {} : readProfile(configPath, profileSetting?.value, debugString(above, extras));
  return { explicit, env: envAttrs, profile, azureEnv: fromAzureEnv(env), all: merge(explicit, envAttrs, profile), extras };
}

/**
 * The file is skipped when no profile is named and host or an auth attribute is already set. ARM_* variables count
 * here only when the host is known to be Azure (they are often set for another tool).
 */
function skipsConfigFile(above: Attrs, profileNamed: boolean): boolean {
  if (profileNamed) return false;
  if (above.host !== undefined) return true;
  return ATTRS.some((d) => d.family && above[d.name] && !(d.family === "azure" && above[d.name]!.layer === "env"));
}

/** The named profile, else [__settings__] default_profile, else DEFAULT (silently nothing if that is missing). */
function readProfile(configPath: string, named: string | undefined, debug: string): Attrs {
  const file = readConfigFile(configPath);
  if (!file) {
    if (named === undefined) return {};
    throw new CredentialError(
      "AUTH_PROFILE_NOT_FOUND",
      `resolve: ${configPath} has no ${named} profile configured (the file does not exist). ${debug}. Create the profile (databricks auth login / configure) or point DATABRICKS_CONFIG_FILE at the right file`,
    );
  }
  const defaultProfile = file.sections.get("__settings__")?.default_profile?.trim() || undefined;
  const name = named ?? defaultProfile ?? "DEFAULT";
  const section = file.sections.get(name);
  if (section) return fromProfile(section, `profile '${name}' in ${configPath}`);
  if (named === undefined && defaultProfile === undefined) return {};
  const known = [...file.sections.keys()].filter((s) => s !== "__settings__");
  throw new CredentialError(
    "AUTH_PROFILE_NOT_FOUND",
    `resolve: ${configPath} has no ${name} profile configured. ${debug}. ${
      known.length ? `Profiles in the file: ${known.join(", ")}` : "The file has no profiles"
    }; fix the profile name or add a [${name}] section`,
  );
}
