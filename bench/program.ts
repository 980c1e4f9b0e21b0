/**
 * The benchmark program: U users, G groups and M memberships, read from the stack config key `bench`.
 * `floor: true` declares the same graph with the no-op provider (bench/floor/noop.ts). `members: true` declares
 * the same memberships as one GroupMembers per group instead of one GroupMembership per pair. `compact: true`
 * declares the recommended compact model (docs/resources/ScimUsers.md): one ScimUsers for every user, one ScimGroup
 * per group and one GroupMembers per group whose members are `people.idOf(userName)`. `level: "account"` (with
 * `accountId`) puts every identity at account level.
 */
import * as pulumi from "@pulumi/pulumi";
import { GroupMembers, GroupMembership, ScimGroup, ScimUser, ScimUsers, type ScimUsersEntry } from "pulumi-databricks-scim";
import { providerSource } from "../provider/resources/dynamicResource";
import { displayName, groupName, membershipPair, userName, type Shape } from "./shape";

interface BenchConfig extends Shape {
  floor?: boolean;
  members?: boolean;
  compact?: boolean;
  level?: "workspace" | "account";
  accountId?: string;
}

/** Registered exactly like this package's resources (same type tokens, same one-line stored provider). */
class NoopResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(`pulumi-nodejs:dynamic/scim:${type}`, name, { ...props, __provider: providerSource("pulumi-databricks-scim/dist/bench/floor/noop") }, opts);
  }
}

export default async function program(): Promise<Record<string, unknown>> {
  const cfg = new pulumi.Config().requireObject<BenchConfig>("bench");
  const at = cfg.level === "account" ? { level: "account" as const, accountId: cfg.accountId } : {};
  if (cfg.compact) return compact(cfg, at);
  const users: pulumi.CustomResource[] = [];
  const groups: pulumi.CustomResource[] = [];
  for (let i = 0; i < cfg.users; i++) {
    const args = { userName: userName(i), displayName: displayName("User", i, cfg.users, cfg.changed), ...at };
    users.push(cfg.floor ? new NoopResource("User", `u${i}`, args) : new ScimUser(`u${i}`, args));
  }
  for (let g = 0; g < cfg.groups; g++) {
    const args = { displayName: groupDisplayName(g, cfg), ...at };
    groups.push(cfg.floor ? new NoopResource("Group", `g${g}`, args) : new ScimGroup(`g${g}`, args));
  }
  const byGroup = new Map<number, number[]>();
  for (let k = 0; k < cfg.memberships; k++) {
    const { user, group } = membershipPair(k, cfg);
    if (cfg.members) {
      byGroup.set(group, [...(byGroup.get(group) ?? []), user]);
      continue;
    }
    const name = `m${k}`;
    if (cfg.floor) new NoopResource("GroupMembership", name, { groupId: groups[group].id, memberId: users[user].id });
    else new GroupMembership(name, { group: groups[group] as ScimGroup, member: users[user] as ScimUser });
  }
  for (const [g, members] of byGroup) {
    const name = `gm${g}`;
    if (cfg.floor) new NoopResource("GroupMembers", name, { groupId: groups[g].id, memberIds: members.map((u) => users[u].id) });
    else new GroupMembers(name, { group: groups[g] as ScimGroup, members: members.map((u) => users[u] as ScimUser) });
  }
  return { users: users.length, groups: groups.length };
}

/** The group's displayName in this phase: 5% of the groups are renamed by the change phase. */
const groupDisplayName = (g: number, cfg: BenchConfig): string =>
  `${groupName(g)}${displayName("Group", g, cfg.groups, cfg.changed).endsWith(")") ? "-renamed" : ""}`;

/** The compact model: one ScimUsers of every user, and per group one ScimGroup and one GroupMembers. */
function compact(cfg: BenchConfig, at: { level?: "account"; accountId?: string }): Record<string, unknown> {
  const entries: Record<string, ScimUsersEntry> = {};
  for (let i = 0; i < cfg.users; i++) entries[userName(i)] = { displayName: displayName("User", i, cfg.users, cfg.changed) };
  const people = new ScimUsers("people", { users: entries, ...at });
  const byGroup = new Map<number, number[]>();
  for (let k = 0; k < cfg.memberships; k++) {
    const { user, group } = membershipPair(k, cfg);
    byGroup.set(group, [...(byGroup.get(group) ?? []), user]);
  }
  for (let g = 0; g < cfg.groups; g++) {
    const group = new ScimGroup(`g${g}`, { displayName: groupDisplayName(g, cfg), ...at });
    const members = byGroup.get(g);
    if (members) new GroupMembers(`gm${g}`, { group, members: members.map((u) => people.idOf(userName(u))) });
  }
  return { users: cfg.users, groups: cfg.groups };
}
