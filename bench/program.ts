/**
 * The benchmark program: U users, G groups and M memberships, read from the stack config key `bench`.
 * `floor: true` declares the same graph with the no-op provider (bench/floor/noop.ts). `members: true` declares
 * the same memberships as one GroupMembers per group instead of one GroupMembership per pair. `level: "account"`
 * (with `accountId`) puts every identity at account level.
 */
import * as pulumi from "@pulumi/pulumi";
import { GroupMembers, GroupMembership, ScimGroup, ScimUser } from "pulumi-databricks-scim";
import { providerSource } from "../provider/resources/dynamicResource";
import { displayName, groupName, membershipPair, userName, type Shape } from "./shape";

interface BenchConfig extends Shape {
  floor?: boolean;
  members?: boolean;
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
  const users: pulumi.CustomResource[] = [];
  const groups: pulumi.CustomResource[] = [];
  for (let i = 0; i < cfg.users; i++) {
    const args = { userName: userName(i), displayName: displayName("User", i, cfg.users, cfg.changed), ...at };
    users.push(cfg.floor ? new NoopResource("User", `u${i}`, args) : new ScimUser(`u${i}`, args));
  }
  for (let g = 0; g < cfg.groups; g++) {
    const args = { displayName: `${groupName(g)}${displayName("Group", g, cfg.groups, cfg.changed).endsWith(")") ? "-renamed" : ""}`, ...at };
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
