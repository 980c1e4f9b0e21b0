import * as pulumi from "@pulumi/pulumi";
import { hasOwnTarget, type GroupRef, type TargetArgs } from "./principalRef";

/**
 * GroupMembership and GroupMembers of a ScimGroup of the program get Pulumi's `deletedWith: group` option, so
 * that when the group is deleted in the same operation (`pulumi destroy`, the group removed from the program, or
 * replaced) the engine skips their deletes: deleting a SCIM group drops its memberships, and the per-pair
 * removals were about one PATCH per pair, at a published account limit of 2 PATCHes a second. When only the
 * membership resource goes, the group stays and its delete runs as before (GroupMembers then still removes the
 * members it lists and leaves the group).
 *
 * Set only where a delete of the group really deletes it, as far as the program can tell at construction:
 *  - the group is not `protect`ed and not `retainOnDelete` (a retained group keeps its members, so they must be
 *    removed one by one; a protected group's delete fails after the skipped member deletes), is not read
 *    (`id`/`urn`) and has no transforms (which could set either option);
 *  - a group inside a component (`parent`) inherits those options from the component, which the program cannot
 *    see: there the membership must have the same parent and no protect/retainOnDelete of its own, so it
 *    inherits the same ones (a retained membership's delete is a no-op anyway, a protected one fails first);
 *  - the membership lives where the group does (no target of its own: a membership given its own host, level,
 *    account or connection is left alone);
 *  - the program did not pass a deletedWith of its own.
 * A stack transform that protects or retains groups is not visible here; such a program should pass its
 * memberships `deletedWith` explicitly (any resource, e.g. the group's parent) to opt out.
 */

/** ScimGroup → its parent, recorded when its options allow deleting it to stand for deleting its members. */
const deletable = new WeakMap<object, { parent: pulumi.Resource | undefined }>();

/** Called by ScimGroup's constructor. */
export function recordGroupOptions(group: object, opts: pulumi.CustomResourceOptions | undefined): void {
  const o = opts ?? {};
  if (o.protect || o.retainOnDelete || o.id !== undefined || o.urn !== undefined || o.transformations?.length || o.transforms?.length) return;
  deletable.set(group, { parent: o.parent });
}

/** The options a membership resource of `group` registers with. */
export function withDeletedWithGroup(
  group: GroupRef,
  args: TargetArgs,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions | undefined {
  if (opts?.deletedWith !== undefined || typeof group !== "object" || group === null || hasOwnTarget(args)) return opts;
  const g = deletable.get(group);
  if (!g || !pulumi.CustomResource.isInstance(group)) return opts;
  if (g.parent !== undefined && (g.parent !== opts?.parent || opts?.protect !== undefined || opts?.retainOnDelete !== undefined)) return opts;
  return { ...opts, deletedWith: group };
}
