import type * as pulumi from "@pulumi/pulumi";

/**
 * The dynamic provider objects that Pulumi serializes into state, one module per resource kind.
 *
 * Why so thin: Pulumi stores the serialized provider text twice per resource and reuses the *stored* text for
 * refresh and destroy (../shared/spec/pulumi-dynamic-providers.md §2). Each kind's module (user.ts, group.ts, …)
 * exports its provider object as `module.exports`, so when this package is installed under node_modules the
 * serializer writes just `require("pulumi-databricks-scim/dist/provider/shims/user.js")` (about 250 bytes).
 * Every method loads the implementation with `require` at call time (a `require` inside a method body is never
 * captured), so the stored text holds no credentials, never changes between releases, and destroy/refresh
 * always run the installed version of this package. Resolution happens from the program's directory (the
 * provider process's cwd), where the package is installed.
 */
export type ResourceKind = "user" | "group" | "servicePrincipal" | "groupMembership" | "groupMembers";

/* eslint-disable @typescript-eslint/no-require-imports */
export function shimFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      require("pulumi-databricks-scim/dist/provider/runtime").configure(req.config);
    },
    async check(olds, news) {
      return require("pulumi-databricks-scim/dist/provider/runtime").lifecycle(kind).check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-databricks-scim/dist/provider/runtime").lifecycle(kind).diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-databricks-scim/dist/provider/runtime").lifecycle(kind).create(inputs);
    },
    async read(id, props) {
      return require("pulumi-databricks-scim/dist/provider/runtime").lifecycle(kind).read(id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-databricks-scim/dist/provider/runtime").lifecycle(kind).update(id, olds, news);
    },
    async delete(id, props) {
      return require("pulumi-databricks-scim/dist/provider/runtime").lifecycle(kind).delete(id, props);
    },
  };
}
