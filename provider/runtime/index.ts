import { userLifecycle } from "../lifecycle/user";
import { groupLifecycle } from "../lifecycle/group";
import { servicePrincipalLifecycle } from "../lifecycle/servicePrincipal";
import { groupMembershipLifecycle } from "../lifecycle/groupMembership";
import { groupMembersLifecycle } from "../lifecycle/groupMembers";
import type { Lifecycle } from "../lifecycle/types";
import type { ResourceKind } from "../shims/shim";
import { setStackSettings } from "./settings";
import { withConnection } from "./withConnection";

/**
 * What the serialized shims (provider/shims/) call, in the provider process that the engine starts.
 * Loaded by package name at call time, so it is always the installed version of this package.
 */
export function configure(config: { get(key: string): string | undefined }): void {
  setStackSettings(config);
}

// The lifecycles take typed inputs; the engine hands us plain JSON, which `check` has already normalised.
type AnyLifecycle = Lifecycle<never, never>;
const lifecycles: Partial<Record<ResourceKind, AnyLifecycle>> = {
  user: userLifecycle as unknown as AnyLifecycle,
  group: groupLifecycle as unknown as AnyLifecycle,
  servicePrincipal: servicePrincipalLifecycle as unknown as AnyLifecycle,
  groupMembership: groupMembershipLifecycle as unknown as AnyLifecycle,
  groupMembers: groupMembersLifecycle as unknown as AnyLifecycle,
};

/** Each kind's lifecycle with the connection handling every kind shares (./withConnection.ts). */
const wrappedLifecycles = new Map<ResourceKind, AnyLifecycle>();

export function lifecycle(kind: ResourceKind): AnyLifecycle {
  const found = lifecycles[kind];
  if (!found) throw new Error(`pulumi-databricks-scim: no lifecycle for resource kind '${kind}'. Is the installed package older than the program?`);
  let wrapped = wrappedLifecycles.get(kind);
  if (!wrapped) {
    wrapped = withConnection(found as unknown as Parameters<typeof withConnection>[0]) as unknown as AnyLifecycle;
    wrappedLifecycles.set(kind, wrapped);
  }
  return wrapped;
}
