import { groupLifecycle } from "../lifecycle/group";
import { groupMembersLifecycle } from "../lifecycle/groupMembers";
import { groupMembershipLifecycle } from "../lifecycle/groupMembership";
import { servicePrincipalLifecycle } from "../lifecycle/servicePrincipal";
import { servicePrincipalCollectionLifecycle } from "../lifecycle/servicePrincipalCollection";
import { withStoredShape } from "../lifecycle/storedShape";
import type { Lifecycle, ResourceKind } from "../lifecycle/types";
import { userLifecycle } from "../lifecycle/user";
import { userCollectionLifecycle } from "../lifecycle/userCollection";
import { workspaceAssignmentLifecycle } from "../lifecycle/workspaceAssignment";
import { workspaceEntitlementsLifecycle } from "../lifecycle/workspaceEntitlements";
import { blameOnlyWhatIsSet } from "./checkFailures";
import { withStoredProvider } from "./partialState";
import { providerSession, type ProviderSession } from "./session";

export { providerSession };

/**
 * What the serialized shims (provider/shims/) call, in the provider process that the engine starts.
 * Loaded by package name at call time, so it is always the installed version of this package.
 */
export function configure(config: { get(key: string): string | undefined }): void {
  providerSession().configure(config);
}

/**
 * Each kind's lifecycle bound to this process's session (./session.ts). The engine hands plain JSON back,
 * which is what `check` produced; Lifecycle's methods take it as the kind's types (see lifecycle/types.ts).
 */
type EngineLifecycle = Lifecycle<object, object>;

const DEFINED = {
  user: userLifecycle,
  users: userCollectionLifecycle,
  group: groupLifecycle,
  servicePrincipal: servicePrincipalLifecycle,
  servicePrincipals: servicePrincipalCollectionLifecycle,
  groupMembership: groupMembershipLifecycle,
  groupMembers: groupMembersLifecycle,
  workspaceAssignment: workspaceAssignmentLifecycle,
  workspaceEntitlements: workspaceEntitlementsLifecycle,
} satisfies Record<ResourceKind, { bind: (c: ProviderSession) => EngineLifecycle }>;

export function lifecycle(kind: ResourceKind): EngineLifecycle {
  const session = providerSession();
  let found = session.bound.get(kind);
  if (!found) {
    const defined = (DEFINED as Partial<Record<string, (typeof DEFINED)[ResourceKind]>>)[kind];
    // plain Error: the shims and DEFINED name the same kinds; only an installed package older than the program's
    // shims gets here, and the message says so.
    if (!defined) throw new Error(`pulumi-databricks-scim: no lifecycle for resource kind '${kind}'. Is the installed package older than the program?`);
    const inner: EngineLifecycle = defined.bind(session);
    found = {
      ...inner,
      async check(olds, news) {
        const r = await inner.check(olds, news);
        return r.failures ? { ...r, failures: blameOnlyWhatIsSet(r.failures, news as Record<string, unknown>) } : r;
      },
      async create(inputs) {
        try {
          return await inner.create(inputs);
        } catch (e) {
          throw withStoredProvider(e, inputs);
        }
      },
      async update(id, olds, news) {
        try {
          return await inner.update(id, olds, news);
        } catch (e) {
          throw withStoredProvider(e, news);
        }
      },
    };
    session.bound.set(kind, found);
  }
  return found;
}

/**
 * A kind's lifecycle as the dynamic resources' shims call it (provider/shims/shim.ts): what it answers in the
 * shape the state keeps, what it is handed put back into the full one (lifecycle/storedShape.ts). The provider
 * plugin and the importer call `lifecycle(kind)`, in the full shape: the plugin's schema has every output.
 */
export function storedLifecycle(kind: ResourceKind): EngineLifecycle {
  const session = providerSession();
  let found = session.stored.get(kind);
  if (!found) {
    found = withStoredShape(kind, lifecycle(kind));
    session.stored.set(kind, found);
  }
  return found;
}
