/**
 * The benchmark program: U users, G groups and M memberships, read from the stack config key `bench`.
 * `floor: true` declares the same graph with the no-op provider (bench/floor/noop.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { GroupMembership, ScimGroup, ScimUser } from "pulumi-databricks-scim";
import { providerSource } from "../provider/resources/dynamicResource";
import { displayName, groupName, membershipPair, userName, type Shape } from "./shape";

interface BenchConfig extends Shape {
  floor?: boolean;
}

/** Registered exactly like this package's resources (same type tokens, same one-line stored provider). */
class NoopResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(`pulumi-nodejs:dynamic/scim:${type}`, name, { ...props, __provider: providerSource("pulumi-databricks-scim/dist/bench/floor/noop.js") }, opts);
  }
}

export default async function program(): Promise<Record<string, unknown>> {
  const cfg = new pulumi.Config().requireObject<BenchConfig>("bench");
  const users: pulumi.CustomResource[] = [];
  const groups: pulumi.CustomResource[] = [];
  for (let i = 0; i < cfg.users; i++) {
    const args = { userName: userName(i), displayName: displayName("User", i, cfg.users, cfg.changed) };
    users.push(cfg.floor ? new NoopResource("User", `u${i}`, args) : new ScimUser(`u${i}`, args));
  }
  for (let g = 0; g < cfg.groups; g++) {
    const args = { displayName: `${groupName(g)}${displayName("Group", g, cfg.groups, cfg.changed).endsWith(")") ? "-renamed" : ""}` };
    groups.push(cfg.floor ? new NoopResource("Group", `g${g}`, args) : new ScimGroup(`g${g}`, args));
  }
  for (let k = 0; k < cfg.memberships; k++) {
    const { user, group } = membershipPair(k, cfg);
    const name = `m${k}`;
    if (cfg.floor) new NoopResource("GroupMembership", name, { groupId: groups[group].id, memberId: users[user].id });
    else new GroupMembership(name, { group: groups[group] as ScimGroup, member: users[user] as ScimUser });
  }
  return { users: users.length, groups: groups.length };
}
