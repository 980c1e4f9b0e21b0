import * as pulumi from "@pulumi/pulumi";
import type { DatabricksConnection, DatabricksConnectionArgs } from "./connection";
import type { ScimGroup } from "./group";
import type { ScimServicePrincipal } from "./servicePrincipal";
import type { ScimUser } from "./user";

/**
 * How membership resources accept principals: the resource itself, or its SCIM id. Dynamic-provider inputs
 * cannot carry resources (Pulumi's dynamic-provider host refuses them), so the classes turn a resource into its `id` output,
 * which also makes the membership depend on it. Detected with `CustomResource.isInstance` (a brand check), not
 * `instanceof`, so two loaded copies of this package still agree; the classes are imported as types only.
 */
export type GroupRef = ScimGroup | pulumi.Input<string>;
export type MemberRef = ScimUser | ScimServicePrincipal | ScimGroup | pulumi.Input<string>;

export interface TargetArgs {
  /** Workspace URL or account console URL. Default: the group resource's, else stack config / environment. */
  host?: pulumi.Input<string>;
  level?: pulumi.Input<"workspace" | "account">;
  accountId?: pulumi.Input<string>;
  /** Where to call and with which credentials (names only). Default: the group resource's. */
  connection?: pulumi.Input<DatabricksConnection | DatabricksConnectionArgs>;
}

export function idOf(ref: GroupRef | MemberRef): pulumi.Input<string> {
  return pulumi.CustomResource.isInstance(ref) ? ref.id : ref;
}

export function idsOf(refs: pulumi.Input<MemberRef[]>): pulumi.Input<pulumi.Input<string>[]> {
  if (Array.isArray(refs)) return refs.map(idOf);
  // A list that is itself an Output or a Promise: map it once it is there.
  if (pulumi.Output.isInstance(refs)) return refs.apply((list) => pulumi.all(list.map(idOf)));
  return pulumi.output((refs as Promise<MemberRef[]>).then((list) => list.map(idOf)));
}

/**
 * What a membership resource registers besides its ids: where it lives, and its name for check's messages, as
 * ONE input. Why one: at registration the Pulumi SDK builds four promises, each capturing a stack trace, for every
 * property key of every resource, and in a program of thousands of memberships that was the largest cost of
 * all (bench/: 8 keys a membership made the program's CPU 1.6x the no-op floor's). `check` flattens it
 * (lifecycle/membershipCheck.ts `unscope`), so state, diffs and the provider see host, level, accountId and
 * connection as before.
 */
export interface MembershipScope extends TargetArgs {
  resourceName: string;
}

export function scopeOf(name: string, group: GroupRef, args: TargetArgs): MembershipScope {
  return { ...targetFrom(group, args), resourceName: name };
}

/**
 * The target each ScimGroup was declared with (its constructor records it): what its memberships inherit.
 * Why the group's *inputs* and not its outputs: the same inputs resolve to the same target in check (the same
 * stack config, environment and connection), and a plain value costs the program nothing to register, while
 * each output passed on costs an awaited, stack-captured promise per membership (thousands of them).
 */
const declaredTargets = new WeakMap<object, TargetArgs>();

/** What kind of principal each identity resource is (for WorkspaceEntitlements' SCIM collection, and messages). */
export type PrincipalKind = "user" | "group" | "servicePrincipal";
const declaredKinds = new WeakMap<object, PrincipalKind>();

export function recordGroupTarget(group: object, args: TargetArgs): void {
  recordDeclaredTarget(group, "group", args);
}

/** Called by every identity class's constructor: its target (as declared) and kind, for the resources that refer to it. */
export function recordDeclaredTarget(resource: object, kind: PrincipalKind, args: TargetArgs): void {
  declaredTargets.set(resource, { host: args.host, level: args.level, accountId: args.accountId, connection: args.connection });
  declaredKinds.set(resource, kind);
}

/** The kind of an identity resource of this package (undefined for a bare id, or a resource from another copy). */
export function kindOf(ref: unknown): PrincipalKind | undefined {
  return typeof ref === "object" && ref !== null ? declaredKinds.get(ref) : undefined;
}

/** The level an identity resource was declared with, when it is a plain value (an Output is not known here). */
export function declaredLevelOf(ref: unknown): "workspace" | "account" | undefined {
  if (typeof ref !== "object" || ref === null) return undefined;
  const level = declaredTargets.get(ref)?.level;
  return level === "workspace" || level === "account" ? level : undefined;
}

/**
 * Where the membership lives. Given explicitly, as set; otherwise that of the group resource when one is passed,
 * so that a membership of an account-level group is written at account level without repeating the target
 * (pain 7: workspace/account confusion). With a bare group id, or a group from another loaded copy of this
 * package: stack config and environment, as for ScimUser.
 */
export function targetFrom(group: GroupRef | MemberRef, args: TargetArgs): TargetArgs {
  if (hasOwnTarget(args)) {
    return { host: args.host, level: args.level, accountId: args.accountId, connection: args.connection };
  }
  if (!pulumi.CustomResource.isInstance(group)) return {};
  return declaredTargets.get(group) ?? {};
}

/** The resource was given a target of its own (any of host, level, accountId, connection). */
export function hasOwnTarget(args: TargetArgs): boolean {
  return args.host !== undefined || args.level !== undefined || args.accountId !== undefined || args.connection !== undefined;
}
