// The seed file (`--graph-seed FILE`, `PUT /__emulator/state`): the tenant, its app registrations and its
// directory. Members are named by reference (see Directory.resolve): an object id, a user's
// userPrincipalName, a service principal's appId, or the displayName of a group, device or contact.

export interface AppSeed {
  clientId: string;
  clientSecret: string;
  /** Application permissions (app roles) granted with admin consent, e.g. GroupMember.Read.All. */
  permissions: string[];
}

export type ObjectSeed = { id?: string } & Record<string, unknown>;

export interface GroupSeed extends ObjectSeed {
  displayName: string;
  members?: string[];
}

/** A group of `count` generated users (for paging tests), created or filled by name. */
export interface GenerateSeed {
  group: string;
  count: number;
  /** userPrincipalName is `<prefix>-<n>@<domain>`; defaults `gen` and `example.com`. */
  prefix?: string;
  domain?: string;
}

export interface GraphSeed {
  users?: ObjectSeed[];
  servicePrincipals?: ObjectSeed[];
  devices?: ObjectSeed[];
  orgContacts?: ObjectSeed[];
  groups?: GroupSeed[];
  generate?: GenerateSeed[];
}

export class SeedError extends Error {}

export function asSeed(input: unknown, where: string): GraphSeed {
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new SeedError(`${where} must be a JSON object`);
  const seed = input as Record<string, unknown>;
  for (const key of Object.keys(seed)) {
    if (!["users", "servicePrincipals", "devices", "orgContacts", "groups", "generate"].includes(key)) {
      throw new SeedError(`${where}: unknown key "${key}" (users, servicePrincipals, devices, orgContacts, groups, generate)`);
    }
    if (!Array.isArray(seed[key])) throw new SeedError(`${where}.${key} must be an array`);
    for (const [i, item] of (seed[key] as unknown[]).entries()) {
      if (typeof item !== "object" || item === null || Array.isArray(item)) throw new SeedError(`${where}.${key}[${i}] must be an object`);
    }
  }
  for (const [i, g] of ((seed.generate ?? []) as Record<string, unknown>[]).entries()) {
    if (typeof g.group !== "string" || !Number.isInteger(g.count) || (g.count as number) < 0) {
      throw new SeedError(`${where}.generate[${i}] needs "group" (a display name) and "count" (a non-negative integer)`);
    }
  }
  return seed as GraphSeed;
}
