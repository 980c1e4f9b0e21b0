/**
 * A data-driven Pulumi program for engine tests, the soak test and the benchmark: the stack configuration key
 * `spec` (JSON) lists the identities to declare, so a test changes the program by changing one config value.
 *
 * Memberships refer to principals by resource name ("alice", "eng"): the program passes the resource object
 * itself, as a user would. Anything else is passed through as given: `{ id: "123" }` or a string that names no
 * resource (a userName, an applicationId, a group name) reaches the provider as a raw id, so tests can pass the
 * wrong thing on purpose.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  GroupMembers,
  GroupMembership,
  ScimGroup,
  ScimServicePrincipal,
  ScimUser,
  ScimUsers,
  type GroupMembersArgs,
  type GroupMembershipArgs,
  type ScimGroupArgs,
  type ScimServicePrincipalArgs,
  type ScimUserArgs,
  type ScimUsersArgs,
} from "pulumi-databricks-scim";

/** A resource name of this spec, or a raw value passed as the id. */
export type Ref = string | { id: string };

type Target = Pick<GroupMembershipArgs, "host" | "level" | "accountId">;

export interface IdentitySpec {
  /** Resource name → arguments, for each kind. Resource names must be unique across users, groups and SPs. */
  users?: Record<string, ScimUserArgs>;
  /** ScimUsers resources by resource name; a membership refers to one of their users as "<resource>/<userName>". */
  userCollections?: Record<string, ScimUsersArgs>;
  groups?: Record<string, ScimGroupArgs>;
  servicePrincipals?: Record<string, ScimServicePrincipalArgs>;
  /** One (group, member) pair each. */
  memberships?: Record<string, Target & { group: Ref; member: Ref }>;
  /** Authoritative member lists. */
  groupMembers?: Record<string, Target & { group: Ref; members: Ref[] }>;
  /** Groups (resource names) declared with `retainOnDelete: true`. */
  retainGroups?: string[];
  /**
   * Also export `read`: the typed outputs a program reads of each user (active, home, aclPrincipalId), group
   * (url, aclPrincipalId) and membership (groupId, memberId), to check they read the same whatever the state keeps.
   */
  readOutputs?: boolean;
}

export default async function program(): Promise<Record<string, unknown>> {
  const spec = new pulumi.Config().requireObject<IdentitySpec>("spec");
  const users: Record<string, ScimUser> = {};
  const groups: Record<string, ScimGroup> = {};
  const sps: Record<string, ScimServicePrincipal> = {};
  for (const [name, args] of Object.entries(spec.users ?? {})) users[name] = new ScimUser(name, args);
  const collections: Record<string, ScimUsers> = {};
  for (const [name, args] of Object.entries(spec.userCollections ?? {})) collections[name] = new ScimUsers(name, args);
  const retained = new Set(spec.retainGroups ?? []);
  for (const [name, args] of Object.entries(spec.groups ?? {}))
    groups[name] = new ScimGroup(name, args, retained.has(name) ? { retainOnDelete: true } : undefined);
  for (const [name, args] of Object.entries(spec.servicePrincipals ?? {})) sps[name] = new ScimServicePrincipal(name, args);

  const principal = (ref: Ref): ScimUser | ScimGroup | ScimServicePrincipal | pulumi.Output<string> | string => {
    if (typeof ref !== "string") return ref.id;
    const slash = ref.indexOf("/");
    const collection = slash > 0 ? collections[ref.slice(0, slash)] : undefined;
    if (collection) return collection.idOf(ref.slice(slash + 1));
    const found = [users[ref], groups[ref], sps[ref]].filter((r) => r !== undefined);
    if (found.length > 1) throw new Error(`spec: '${ref}' names more than one resource; use unique resource names`);
    return found[0] ?? ref;
  };
  const group = (ref: Ref): ScimGroup | string => {
    const p = principal(ref);
    if (typeof p !== "string" && !(p instanceof ScimGroup)) throw new Error(`spec: '${String(ref)}' is not a group resource`);
    return p;
  };

  const memberships: Record<string, pulumi.Output<string>> = {};
  const membershipResources: Record<string, GroupMembership> = {};
  for (const [name, { group: g, member, ...target }] of Object.entries(spec.memberships ?? {})) {
    membershipResources[name] = new GroupMembership(name, { ...target, group: group(g), member: principal(member) });
    memberships[name] = membershipResources[name].id;
  }
  const groupMembers: Record<string, pulumi.Output<string[]>> = {};
  for (const [name, { group: g, members, ...target }] of Object.entries(spec.groupMembers ?? {})) {
    const args: GroupMembersArgs = { ...target, group: group(g), members: members.map(principal) };
    groupMembers[name] = new GroupMembers(name, args).memberIds;
  }

  const ids = (rs: Record<string, pulumi.CustomResource>) => Object.fromEntries(Object.entries(rs).map(([n, r]) => [n, r.id]));
  return {
    users: ids(users),
    groups: ids(groups),
    servicePrincipals: ids(sps),
    userCollections: Object.fromEntries(Object.entries(collections).map(([n, r]) => [n, r.ids])),
    applicationIds: Object.fromEntries(Object.entries(sps).map(([n, r]) => [n, r.applicationId])),
    memberships,
    groupMembers,
    ...(spec.readOutputs ? { read: readOutputs(users, groups, membershipResources) } : {}),
  };
}

function readOutputs(
  users: Record<string, ScimUser>,
  groups: Record<string, ScimGroup>,
  memberships: Record<string, GroupMembership>,
): Record<string, unknown> {
  const each = <R, T>(rs: Record<string, R>, f: (r: R) => T) => Object.fromEntries(Object.entries(rs).map(([n, r]) => [n, f(r)]));
  return {
    users: each(users, (u) => ({ active: u.active, home: u.home, aclPrincipalId: u.aclPrincipalId, userName: u.userName })),
    groups: each(groups, (g) => ({ url: g.url, aclPrincipalId: g.aclPrincipalId, displayName: g.displayName })),
    memberships: each(memberships, (m) => ({ groupId: m.groupId, memberId: m.memberId })),
  };
}
