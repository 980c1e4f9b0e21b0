/**
 * The soak's Pulumi program: the identities of ./shape.ts, from the stack config key `soak` (a SoakShape).
 * Every resource is passed as an object (never an id string), as a user would write it.
 */
import * as pulumi from "@pulumi/pulumi";
import { GroupMembers, GroupMembership, ScimGroup, ScimServicePrincipal, ScimUser } from "pulumi-databricks-scim";
import { plan, type MemberRef, type SoakShape } from "./shape";

export default async function program(): Promise<Record<string, unknown>> {
  const p = plan(new pulumi.Config().requireObject<SoakShape>("soak"));
  const users = p.users.map((u) => new ScimUser(u.name, { userName: u.userName, displayName: u.displayName, entitlements: u.entitlements }));
  const groups = p.groups.map((g) => new ScimGroup(g.name, { displayName: g.displayName }));
  const sps = p.servicePrincipals.map((s) => new ScimServicePrincipal(s.name, { displayName: s.displayName, entitlements: s.entitlements }));
  const principal = (r: MemberRef): ScimUser | ScimServicePrincipal | ScimGroup =>
    r.kind === "user" ? users[r.index]! : r.kind === "servicePrincipal" ? sps[r.index]! : groups[r.index]!;
  for (const m of p.memberships) new GroupMembership(m.name, { group: groups[m.group]!, member: principal(m.member) });
  for (const l of p.lists) new GroupMembers(l.name, { group: groups[l.group]!, members: l.members.map(principal) });
  return { users: users.length, groups: groups.length, servicePrincipals: sps.length, memberships: p.memberships.length, lists: p.lists.length };
}
