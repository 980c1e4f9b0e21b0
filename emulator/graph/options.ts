// Options of the Graph emulator (programmatic `startGraphEmulator`, the `graph` key of `--config`, and the
// `--graph*` CLI flags).
import { readFileSync } from "node:fs";
import { asSeed, type AppSeed, type GraphSeed } from "./seed";
import type { ThrottleSettings } from "./throttle";

export interface GraphEmulatorOptions {
  port?: number;
  host?: string;
  /** Directory tenant id (GUID); random when absent. */
  tenantId?: string;
  /**
   * App registrations that may get tokens. Absent: one app with GroupMember.Read.All, User.Read.All and
   * Application.Read.All, random id and secret (printed by the CLI).
   */
  apps?: AppSeed[];
  /** The directory: a seed object, or a path to a JSON seed file. */
  seed?: GraphSeed | string;
  /** Lifetime of issued tokens, seconds (default 3599, as Entra's `expires_in`). */
  tokenTtlSeconds?: number;
  /** https with a self-signed certificate (default), a given key pair, or false for plain http. */
  tls?: boolean | { keyPath: string; certPath: string };
  throttle?: Partial<ThrottleSettings>;
  /** Graph's v1.0 known issue: `/members` omits service principals (`/beta` and transitiveMembers list them). Default true. */
  v1MembersOmitServicePrincipals?: boolean;
}

export const DEFAULT_APP_PERMISSIONS = ["GroupMember.Read.All", "User.Read.All", "Application.Read.All"];

export function resolveSeed(seed: GraphSeed | string | undefined): GraphSeed {
  if (seed === undefined) return {};
  if (typeof seed === "string") return asSeed(JSON.parse(readFileSync(seed, "utf8")), seed);
  return asSeed(seed, "seed");
}
