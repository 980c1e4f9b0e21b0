import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../lifecycle/types";

/**
 * The dynamic provider objects Pulumi's provider host runs, one module per resource kind.
 *
 * Pulumi stores a provider's source twice per resource and reuses the *stored* source for refresh and destroy
 * (pulumi/pulumi#6238, #6285). What we store is one line,
 * `module.exports=require('pulumi-databricks-scim/s').u` (see resources/dynamicResource.ts and ./short.ts;
 * states written before keep `exports.handler=()=>require('…/shims/user')` or `require("…/user.js")`, which load
 * the same module), so each kind's module here exports its provider object as `module.exports`. Each call goes
 * through the runtime's `storedLifecycle`: the state keeps the stored shape (lifecycle/storedShape.ts).
 * Every method loads the implementation when it is called, so the stored text holds no credentials, does not
 * depend on the release, and destroy/refresh always run the installed version of this package. Resolution
 * happens from the program's directory (the provider process's cwd), where the package is installed.
 */
export type { ResourceKind };

/* eslint-disable @typescript-eslint/no-require-imports */
export function shimFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      require("pulumi-databricks-scim/dist/provider/runtime").configure(req.config);
    },
    async check(olds, news) {
      return require("pulumi-databricks-scim/dist/provider/runtime").storedLifecycle(kind).check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-databricks-scim/dist/provider/runtime").storedLifecycle(kind).diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-databricks-scim/dist/provider/runtime").storedLifecycle(kind).create(inputs);
    },
    async read(id, props) {
      return require("pulumi-databricks-scim/dist/provider/runtime").storedLifecycle(kind).read(id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-databricks-scim/dist/provider/runtime").storedLifecycle(kind).update(id, olds, news);
    },
    async delete(id, props) {
      return require("pulumi-databricks-scim/dist/provider/runtime").storedLifecycle(kind).delete(id, props);
    },
  };
}
