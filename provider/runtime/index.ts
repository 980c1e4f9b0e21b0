import { userLifecycle } from "../lifecycle/user";
import type { Lifecycle } from "../lifecycle/types";
import type { ResourceKind } from "../shims/shim";
import { setStackSettings } from "./settings";

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
};

export function lifecycle(kind: ResourceKind): AnyLifecycle {
  const found = lifecycles[kind];
  if (!found) throw new Error(`pulumi-databricks-scim: no lifecycle for resource kind '${kind}'. Is the installed package older than the program?`);
  return found;
}
