import * as pulumi from "@pulumi/pulumi";
import { SHIM_CODES, type ResourceKind } from "../lifecycle/types";
import { hideDeclarationTrace } from "./declarationTrace";

/**
 * The base of every resource in this package: a Pulumi dynamic resource (type `pulumi-nodejs:dynamic/scim:*`,
 * run by Pulumi's own dynamic provider host) whose stored provider is one line of source.
 *
 * Why not `pulumi.dynamic.Resource`: it stores the closure serializer's wrapper around the provider object
 * (about 330 bytes, twice per resource, in inputs and outputs). The host only needs a module whose `handler()`
 * returns the provider (`requireFromString(text).handler()`, @pulumi/pulumi cmd/dynamic-provider), so we store
 * exactly that: a require() of this kind's shim module, resolved from the program's directory where the
 * package is installed. It holds no credentials and never changes between releases, so refresh and destroy
 * (which use the stored text) always run the installed version. This saves about 490 bytes per resource.
 * Single quotes and no `.js`: the text is stored twice per resource (inputs and outputs), and JSON escapes a
 * double quote; states holding the older text (`require("…/user.js")`) load the same module.
 */
export function providerSource(modulePath: string): string {
  // plain Error: an invariant (the paths are this package's own constants), never a user's input.
  if (!/^[\w@./-]+$/.test(modulePath)) throw new Error(`providerSource: '${modulePath}' is not a plain module path`);
  return `exports.handler=()=>require('${modulePath}')`;
}

/** The module the stored provider of a kind required until issue 21 item 3 (provider/shims/<kind>.ts). */
export function shimModule(kind: ResourceKind): string {
  return `pulumi-databricks-scim/dist/provider/shims/${kind}`;
}

/**
 * The stored provider text of a kind: `module.exports=require('pulumi-databricks-scim/s').m`, 52 bytes where
 * `exports.handler=()=>require('pulumi-databricks-scim/dist/provider/shims/groupMembership')` was 90, stored
 * twice per resource. The package's `s.js` maps each code (lifecycle/types.ts SHIM_CODES) to an object whose
 * `handler()` returns that kind's shim (provider/shims/short.ts); states holding the older texts load the same
 * shim modules, which stay where they were.
 */
export function storedProvider(kind: ResourceKind): string {
  return `module.exports=require('pulumi-databricks-scim/s').${SHIM_CODES[kind]}`;
}

export abstract class ScimDynamicResource extends pulumi.CustomResource {
  protected constructor(kind: ResourceKind, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    // No call stack in the state (./declarationTrace.ts): about 600 bytes per resource nothing reads back.
    const restore = hideDeclarationTrace();
    try {
      super(`pulumi-nodejs:dynamic/scim:${type}`, name, { ...props, __provider: storedProvider(kind) }, opts);
    } finally {
      restore();
    }
  }
}
