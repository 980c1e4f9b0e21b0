import * as pulumi from "@pulumi/pulumi";
import { memberLabel, type MemberKind } from "../lifecycle/memberKeys";
import type { MemberRef } from "./principalRef";

/**
 * The readable label of each identity resource, recorded by its constructor, for GroupMembers' member map
 * (lifecycle/memberKeys.ts says why a map, and the label forms). From the resource's *inputs*: a plain value
 * costs the program nothing to register, and it is known at preview time, before the id is.
 */
const labels = new WeakMap<object, pulumi.Input<string>>();

/** `name`: the userName, the service principal's applicationId (else its displayName), the group's displayName. */
export function recordMemberLabel(resource: object, kind: MemberKind, name: pulumi.Input<string> | undefined): void {
  if (name === undefined || name === null) return;
  // An output (a userName read from elsewhere) is awaited with the member's id; plain strings cost nothing.
  labels.set(resource, typeof name === "string" ? memberLabel(kind, name) : pulumi.output(name).apply((n) => memberLabel(kind, n)));
}

/**
 * The labels of a member list, in its order (`null` for a bare id, which keys by itself). What GroupMembers
 * registers next to the ids, inside its one `scope` input (resources/principalRef.ts says why one).
 */
export function labelsOf(refs: pulumi.Input<MemberRef[]>): pulumi.Input<(pulumi.Input<string> | null)[]> {
  // A resource, or an id output that carries a label (ScimUsers.idOf); a plain id string keys by itself.
  const one = (ref: MemberRef): pulumi.Input<string> | null => (typeof ref === "object" && ref !== null ? (labels.get(ref) ?? null) : null);
  if (Array.isArray(refs)) return refs.map(one);
  if (pulumi.Output.isInstance(refs)) return refs.apply((list) => pulumi.all(list.map(one)));
  return pulumi.output((refs as Promise<MemberRef[]>).then((list) => list.map(one)));
}
