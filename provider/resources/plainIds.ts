import * as pulumi from "@pulumi/pulumi";

/**
 * The ids a membership registers (its group's, its member's) as plain values on `up`, with the resources they
 * come from as `dependsOn` instead.
 *
 * Why: for each property the SDK records the resources its Output came from (`propertyDependencies`), and the
 * engine stores that beside `dependencies`, which lists the same URNs already: about 190 bytes per
 * GroupMembership, a quarter of what its state holds besides the engine's own fields, rewritten after every step
 * by the file backend. Nothing of this package reads them, and the engine orders creates and deletes by
 * `dependencies` (and `deletedWith`), which keep every URN.
 *
 * In a preview the Outputs stay as they are: a group or member yet to be created has an unknown id, which only
 * an Output carries (and a preview writes no state). A value whose Output has no promise to take (another SDK's
 * Output) stays an Output too.
 */

/** The SDK Output's own promise of its value (an internal method; `true`: an unknown stays unknown). */
interface Settles<T> {
  promise(withUnknowns?: boolean): Promise<T>;
}

/** `id` (an Output of `resource`) as a plain value, or undefined where it must stay an Output. */
export function plainId(id: pulumi.Input<string>): Promise<string> | undefined {
  if (pulumi.runtime.isDryRun() || !pulumi.Output.isInstance(id)) return undefined;
  const p = (id as unknown as Partial<Settles<string>>).promise;
  return typeof p === "function" ? p.call(id, true) : undefined;
}

/**
 * Props and options for a resource whose `ids` (property → id Input and the resource it comes from) should not
 * be stored as property dependencies: each becomes its plain value and its resource joins `dependsOn`.
 */
export function withPlainIds<P extends Record<string, unknown>>(
  props: P,
  ids: Partial<Record<keyof P, pulumi.Resource | undefined>>,
  opts: pulumi.CustomResourceOptions | undefined,
): { props: P; opts: pulumi.CustomResourceOptions | undefined } {
  const out: Record<string, unknown> = { ...props };
  const resources: pulumi.Resource[] = [];
  let changed = false;
  for (const [key, resource] of Object.entries(ids) as [string, pulumi.Resource | undefined][]) {
    if (!resource) continue;
    const plain = plainId(props[key] as pulumi.Input<string>);
    if (!plain) continue;
    out[key] = plain;
    changed = true;
    // The resource the engine already orders by through `deletedWith` (a membership's group): its URN is stored
    // there, and the engine's dependency graph counts a deletedWith as a dependency (deletes, replacements,
    // --target-dependents); the create waits for the plain id. In `dependencies` too it would be stored twice.
    if (resource !== opts?.deletedWith) resources.push(resource);
  }
  if (!changed) return { props, opts };
  if (resources.length === 0) return { props: out as P, opts };
  return { props: out as P, opts: { ...opts, dependsOn: mergeDependsOn(opts?.dependsOn, resources) } };
}

export function mergeDependsOn(given: pulumi.CustomResourceOptions["dependsOn"], more: pulumi.Resource[]): pulumi.CustomResourceOptions["dependsOn"] {
  if (given === undefined) return more;
  if (Array.isArray(given)) return [...given, ...more];
  // A single resource, a promise or an Output of resources: resolve it, then add ours.
  return pulumi.output(given as pulumi.Input<pulumi.Resource | pulumi.Input<pulumi.Resource>[]>).apply((g) => [...(Array.isArray(g) ? g : [g]), ...more]);
}

/**
 * A list of ids (GroupMembers' memberIds) as one plain value on `up`, with the resources among `refs` as
 * `dependsOn`: undefined where it must stay as it is (a preview, a list that is itself an Output or a Promise,
 * a member given as an id Output, an id Output with no promise to take).
 */
export function plainIdList(
  refs: pulumi.Input<unknown[]>,
  ids: pulumi.Input<pulumi.Input<string>[]>,
): { ids: Promise<string[]>; resources: pulumi.Resource[] } | undefined {
  if (pulumi.runtime.isDryRun() || !Array.isArray(refs) || !Array.isArray(ids)) return undefined;
  // A member given as an id Output (`user.id`, ScimUsers.idOf) names no resource to depend on here: as a plain
  // value it would lose the dependency on its resource (and destroy would no longer order the two), so the list
  // stays as it is and the SDK records where each id came from.
  if (refs.some((r) => pulumi.Output.isInstance(r))) return undefined;
  const values: Promise<string>[] = [];
  for (const id of ids) {
    if (!pulumi.Output.isInstance(id)) {
      values.push(Promise.resolve(id));
      continue;
    }
    const plain = plainId(id);
    if (!plain) return undefined;
    values.push(plain);
  }
  return { ids: Promise.all(values), resources: refs.filter((r): r is pulumi.Resource => pulumi.Resource.isInstance(r)) };
}
